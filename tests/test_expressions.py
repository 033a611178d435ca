"""Tests for the safe evaluator of diagram expressions and scripts."""

import copy
import re
from datetime import date, timedelta

import pytest

from service.workflow.expressions import ExpressionError, check_expression, check_script, evaluate, execute, names_used

DATA = {
    "a": 3,
    "b": 4.5,
    "name": "Jan",
    "items": [1, 2, 3],
    "case": {"route": "ombudsman", "days": 42},
    "flag": True,
    "nothing": None,
}
FUNCTIONS = {
    "double": lambda value: value * 2,
    "join": lambda *parts, sep="": sep.join(parts),
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("42", 42),
        ("'text'", "text"),
        ("1.5", 1.5),
        ("True", True),
        ("None", None),
        ("[1, a, 'x']", [1, 3, "x"]),
        ("(1, a)", (1, 3)),
        ("()", ()),
        ("{'k': a, name: None}", {"k": 3, "Jan": None}),
        ("a", 3),
        ("case['route']", "ombudsman"),
        ("items[0]", 1),
        ("items[-1]", 3),
        ("a and b", 4.5),
        ("0 and a", 0),
        ("a or b", 3),
        ("nothing or 'default'", "default"),
        ("not flag", False),
        ("not nothing", True),
        ("-a", -3),
        ("+b", 4.5),
        ("a == 3", True),
        ("a != 3", False),
        ("a < b", True),
        ("a <= 3", True),
        ("b > a", True),
        ("b >= 5", False),
        ("1 < a < 4", True),
        ("1 < a > 4", False),
        ("a > 5 < never_evaluated", False),
        ("2 in items", True),
        ("5 not in items", True),
        ("'route' in case", True),
        ("'an' in name", True),
        ("nothing is None", True),
        ("flag is not None", True),
        ("a + 1", 4),
        ("b - a", 1.5),
        ("a * 2", 6),
        ("a / 2", 1.5),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 3", 1),
        ("True + 1", 2),
        ("(a + 1) * 2", 8),
        ("a + 2 * 3", 9),
        ("name + '!'", "Jan!"),
        ("items + [4]", [1, 2, 3, 4]),
        ("'yes' if flag else 'no'", "yes"),
        ("'yes' if nothing else 'no'", "no"),
        ("double(a)", 6),
        ("join('a', 'b', sep='-')", "a-b"),
        ("  a == 3\n", True),
    ],
)
def test_allowed_construct_evaluates_like_python(expression, expected):
    result = evaluate(expression, DATA, FUNCTIONS)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("expression", "data", "expected"),
    [
        ("taken_into_handling == True", {"taken_into_handling": True}, True),
        ("taken_into_handling == True", {"taken_into_handling": False}, False),
        ("not agrees", {"agrees": False}, True),
        ("not agrees", {"agrees": True}, False),
        ('next_step == "new_offer"', {"next_step": "new_offer"}, True),
        ('next_step == "new_offer"', {"next_step": "close"}, False),
        ('escalation["route"] == "ombudsman"', {"escalation": {"route": "ombudsman"}}, True),
        ('escalation["route"] == "ombudsman"', {"escalation": {"route": "court"}}, False),
    ],
)
def test_typical_diagram_condition(expression, data, expected):
    assert evaluate(expression, data, {}) is expected


def test_or_falls_back_to_function_only_when_first_operand_is_empty():
    calls = []

    def due_date(start, days):
        calls.append((start, days))
        return start + timedelta(days=days)

    source = "call_report_extended_until or due_date(received_on, 42)"
    data = {"call_report_extended_until": None, "received_on": date(2024, 1, 1)}
    assert evaluate(source, data, {"due_date": due_date}) == date(2024, 2, 12)
    assert calls == [(date(2024, 1, 1), 42)]

    data["call_report_extended_until"] = date(2024, 3, 1)
    assert evaluate(source, data, {"due_date": due_date}) == date(2024, 3, 1)
    assert len(calls) == 1


def test_name_reads_data_before_functions_but_calls_only_functions():
    functions = {"today": lambda: "from function"}
    assert evaluate("today", {"today": "from data"}, functions) == "from data"
    assert evaluate("today()", {"today": "from data"}, functions) == "from function"
    with pytest.raises(ExpressionError, match="unknown function 'run'"):
        evaluate("run()", {"run": lambda: "callable smuggled in through data"}, {})


def test_script_returns_assigned_names_and_leaves_data_alone():
    data = {"status": "open", "nested": {"n": 1}}
    before = copy.deepcopy(data)
    result = execute(
        "resolved_on = today()\nescalation_from = today()", data, {"today": lambda: date(2024, 5, 1)}
    )
    assert result == {"resolved_on": date(2024, 5, 1), "escalation_from": date(2024, 5, 1)}
    assert data == before


@pytest.mark.parametrize(("score", "expected"), [(9, "high"), (5, "middle"), (1, "low")])
def test_script_if_elif_else_takes_one_branch(score, expected):
    script = """
        if score > 7:
            label = "high"
        elif score > 3:
            label = "middle"
        else:
            label = "low"
            pass
    """
    assert execute(script, {"score": score}, {}) == {"label": expected}


def test_script_sees_its_own_assignments_before_data():
    result = execute('status = "closed"\nlabel = status + "!"', {"status": "open"}, {})
    assert result == {"status": "closed", "label": "closed!"}


def test_script_augmented_assignment_adds_and_subtracts():
    assert execute("count += 2\ncount -= 5", {"count": 10}, {}) == {"count": 7}


def test_script_bare_call_runs_the_function():
    sent = []
    assert execute('notify("handler", days=3)', {}, {"notify": lambda *a, **k: sent.append((a, k))}) == {}
    assert sent == [(("handler",), {"days": 3})]


def test_script_cannot_assign_to_a_function_name():
    with pytest.raises(ExpressionError, match="cannot assign to 'today'"):
        execute("today = 1", {}, {"today": lambda: 1})


def test_untaken_branch_assigns_nothing():
    assert execute("if flag:\n    x = 1", {"flag": False}, {}) == {}


REFUSALS = [
    ("expression", '__import__("os")', "names starting with '_' are not allowed: '__import__' (line 1)"),
    ("expression", "_secret", "names starting with '_' are not allowed: '_secret'"),
    ("expression", "().__class__.__bases__", "attribute access is not allowed (line 1)"),
    ("expression", "a.b", "attribute access is not allowed"),
    ("expression", "lambda: 1", "lambda is not allowed"),
    ("expression", "[x for x in y]", "comprehensions are not allowed"),
    ("expression", "{k: 1 for k in y}", "comprehensions are not allowed"),
    ("expression", "any(x for x in y)", "generator expressions are not allowed"),
    ("expression", '"a" * 10**9', "operator '**' is not allowed"),
    ("expression", "a | b", "operator '|' is not allowed"),
    ("expression", "~a", "operator '~' is not allowed"),
    ("expression", 'f"{a}"', "f-strings are not allowed"),
    ("expression", "(y := 1)", "assignment expressions (:=) are not allowed"),
    ("expression", "items[1:2]", "slices are not allowed"),
    ("expression", "{1, 2}", "set displays are not allowed"),
    ("expression", "f(*args)", "starred expressions are not allowed"),
    ("expression", "f(**kwargs)", "'**' arguments are not allowed"),
    ("expression", "{**d}", "'**' in dict displays is not allowed"),
    ("expression", "f(_x=1)", "names starting with '_' are not allowed: '_x'"),
    ("expression", "f()()", "only named functions may be called"),
    ("expression", 'b"bytes"', "constants of type bytes are not allowed"),
    ("expression", "1j", "constants of type complex are not allowed"),
    ("expression", "import os", "syntax error: invalid syntax (line 1)"),
    ("expression", "", "empty expression"),
    ("expression", "   \n ", "empty expression"),
    ("script", "import os", "'import' is not allowed (line 1)"),
    ("script", "x = 1\nfrom os import path", "'from ... import' is not allowed (line 2)"),
    ("script", "while True: pass", "'while' is not allowed (line 1)"),
    ("script", "for i in items: pass", "'for' is not allowed"),
    ("script", "def f(): pass", "'def' is not allowed (line 1)"),
    ("script", "class A: pass", "'class' is not allowed"),
    ("script", "with a: pass", "'with' is not allowed"),
    ("script", "try:\n    pass\nexcept Exception:\n    pass", "'try' is not allowed"),
    ("script", "raise ValueError", "'raise' is not allowed"),
    ("script", "del a", "'del' is not allowed"),
    ("script", "global a", "'global' is not allowed"),
    ("script", "return 1", "'return' is not allowed"),
    ("script", "x = y = 1", "chained assignment is not allowed"),
    ("script", "a, b = 1, 2", "only plain names may be assigned"),
    ("script", 'case["route"] = "court"', "only plain names may be assigned"),
    ("script", "x *= 2", "operator '*=' is not allowed"),
    ("script", "_x = 1", "names starting with '_' are not allowed: '_x'"),
    ("script", "a == 1", "only function calls may stand alone as statements"),
    ("script", "if a:\n    x = a.b", "attribute access is not allowed (line 2)"),
]


@pytest.mark.parametrize(("kind", "source", "problem"), REFUSALS)
def test_refused_source_is_reported_and_never_runs(kind, source, problem):
    check, run = (check_expression, evaluate) if kind == "expression" else (check_script, execute)
    assert problem in "\n".join(check(source))
    with pytest.raises(ExpressionError, match=re.escape(problem)):
        run(source, DATA, FUNCTIONS)


@pytest.mark.parametrize(
    "source", ["taken_into_handling == True", 'escalation["route"] == "ombudsman"', "due_date(x, 42)"]
)
def test_allowed_expression_has_no_problems(source):
    assert check_expression(source) == []


def test_allowed_script_has_no_problems():
    assert check_script("if a:\n    x = f(a, n=1)\nelif b:\n    pass\nelse:\n    x += 1\nf()") == []


def test_check_reports_every_problem_at_once():
    problems = check_expression("a.b + _c + (lambda: 1)() + x[1:2]")
    assert problems == [
        "attribute access is not allowed (line 1)",
        "names starting with '_' are not allowed: '_c' (line 1)",
        "only named functions may be called (line 1)",
        "lambda is not allowed (line 1)",
        "slices are not allowed (line 1)",
    ]
    script_problems = check_script("import os\nx = a.b\nwhile x:\n    y = [i for i in x]")
    assert script_problems == [
        "'import' is not allowed (line 1)",
        "attribute access is not allowed (line 2)",
        "'while' is not allowed (line 3)",
        "comprehensions are not allowed (line 4)",
    ]


def test_syntax_error_is_one_problem_with_its_line():
    problems = check_script("x = 1\ny = (")
    assert len(problems) == 1
    assert problems[0].startswith("syntax error: ")
    assert problems[0].endswith("(line 2)")


def test_unknown_function_passes_the_check_but_fails_to_run():
    assert check_expression('open("/etc/passwd")') == []
    with pytest.raises(ExpressionError, match="unknown function 'open'"):
        evaluate('open("/etc/passwd")', {}, {"today": lambda: None})


@pytest.mark.parametrize(
    "source",
    ["[" * 60 + "]" * 60, "-" * 60 + "1", "-" * 5000 + "1", "not " * 2000 + "x", "(" * 300 + "1" + ")" * 300],
    ids=["lists-60", "minus-60", "minus-5000", "not-2000", "parentheses-300"],
)
def test_deep_nesting_is_refused(source):
    problems = check_expression(source)
    assert len(problems) == 1
    assert "nest" in problems[0]
    with pytest.raises(ExpressionError):
        evaluate(source, {"x": 1}, {})


def test_nesting_within_the_limit_is_fine():
    expected = []
    for _ in range(39):
        expected = [expected]
    assert evaluate("[" * 40 + "]" * 40, {}, {}) == expected


@pytest.mark.parametrize(
    ("check", "longest_fine_source"),
    [(check_expression, "a" * 10_000), (check_script, 'x = "' + "a" * 9_994 + '"')],
)
def test_too_long_source_is_refused(check, longest_fine_source):
    assert len(longest_fine_source) == 10_000
    assert check(longest_fine_source) == []
    too_long = "source is too long (10001 characters, at most 10000) (line 1)"
    assert check(longest_fine_source + " ") == [too_long]


@pytest.mark.parametrize(
    ("expression", "message", "cause"),
    [
        ("1 / 0", "division by zero", ZeroDivisionError),
        ("a // 0", "division by zero", ZeroDivisionError),
        ("a % 0", "division by zero", ZeroDivisionError),
        ("case['missing']", "key 'missing' not found", KeyError),
        ("items[10]", "index 10 out of range", IndexError),
        ("items['x']", "a list cannot be subscripted with 'x'", TypeError),
        ("a < 'x'", "'<' is not supported between int and str", TypeError),
        ("a in a", "'in' is not supported between int and int", TypeError),
        ("{[1]: 2}", "unhashable type", TypeError),
        ("boom()", "function 'boom' failed: broken", RuntimeError),
        ("double()", "function 'double' failed", TypeError),
    ],
)
def test_runtime_error_is_wrapped_with_its_cause(expression, message, cause):
    def boom():
        raise RuntimeError("broken")

    with pytest.raises(ExpressionError, match=re.escape(message)) as caught:
        evaluate(expression, DATA, {**FUNCTIONS, "boom": boom})
    assert isinstance(caught.value.__cause__, cause)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("unknown", "unknown name 'unknown'"),
        ("a[0]", "a int cannot be subscripted"),
        ('"a" * a', "operation '*' is not allowed on str and int"),
        ("items * 2", "operation '*' is not allowed on list and int"),
        ("name + 1", "operation '+' is not allowed on str and int"),
        ("-name", "is not allowed on str"),
    ],
)
def test_runtime_refusal_names_the_problem(expression, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        evaluate(expression, DATA, FUNCTIONS)


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ('s = "' + "a" * 100 + '"\n' + "s = s + s\n" * 8, "results longer than 10000 are not allowed"),
        ("x = [1]\n" + "x = x + x\n" * 14, "results longer than 10000 are not allowed"),
        ("n = 1000\n" + "n = n * n\n" * 20, "number too large"),
        ("x = [1]\n" + "x = [x, x]\n" * 40, "too many steps"),
    ],
)
def test_resource_abuse_in_script_is_stopped(script, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        execute(script, {}, {})


@pytest.mark.parametrize(("length", "fits"), [(40_000, True), (60_000, False)])
def test_comparing_containers_is_paid_from_the_step_budget(length, fits):
    data = {"x": list(range(length))}
    if fits:
        assert evaluate("x == x", data, {}) is True
    else:
        with pytest.raises(ExpressionError, match=r"too many steps \(more than 100000\)"):
            evaluate("x == x", data, {})


def test_comparing_huge_shared_structures_is_stopped():
    x, y = [1], [1]
    for _ in range(40):
        x, y = [x, x], [y, y]
    with pytest.raises(ExpressionError, match="too many steps"):
        evaluate("x == y", {"x": x, "y": y}, {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("taken_into_handling == True", {"taken_into_handling"}),
        ('escalation["route"] == "ombudsman"', {"escalation"}),
        (
            "call_report_extended_until or due_date(received_on, 42)",
            {"call_report_extended_until", "due_date", "received_on"},
        ),
        ("'constant'", set()),
        ("x = a + 1\ny = x + b", {"a", "b"}),
        ("resolved_on = today()\nescalation_from = today()", {"today"}),
        ("if c:\n    x = 1\ny = x", {"c", "x"}),
        ("if c:\n    x = 1\nelse:\n    x = 2\ny = x", {"c"}),
        ("n += 1", {"n"}),
        ("n = 1\nn += 1", set()),
        ("", set()),
    ],
)
def test_names_used_lists_free_names(source, expected):
    assert names_used(source) == expected


def test_names_used_refuses_bad_source():
    with pytest.raises(ExpressionError, match="attribute access is not allowed"):
        names_used("a.b")
    with pytest.raises(ExpressionError, match="'import' is not allowed"):
        names_used("import os")
