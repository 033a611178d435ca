"""Small readers of the complaint resource, shared by the tests."""


def kinds(complaint):
    return [event["kind"] for event in complaint["history"]]


def open_tasks(complaint):
    return sorted(task["task"] for task in complaint["tasks"])


def deadline(complaint, name):
    return next(d for d in complaint["deadlines"] if d["name"] == name)


def tick(app) -> str:
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    return result.output.strip()
