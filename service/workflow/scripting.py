"""The restricted script engine: conditions, timers and scripts of a diagram run in expressions.py, never exec."""

from collections.abc import Callable, Mapping

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from service.workflow import expressions


class _RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates conditions and runs scripts with the service's restricted interpreter, never exec."""

    def __init__(self, functions: Mapping[str, Callable]):
        super().__init__({})
        self.functions = functions

    def evaluate(self, expression, context, external_context=None):
        data = {**(external_context or {}), **context}
        return expressions.evaluate(expression, data, self.functions)

    def execute(self, script, context, external_context=None):
        data = {**(external_context or {}), **context}
        context.update(expressions.execute(script, data, self.functions))
        return True

    def call_service(self, context, **kwargs):
        raise expressions.ExpressionError("service tasks are not supported by this service")


class RestrictedScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine, checking every expression with the restricted language before use."""

    def validate(self, expression):
        problems = expressions.check_expression(expression)
        if problems:
            raise expressions.ExpressionError("; ".join(problems))


def script_engine(functions: Mapping[str, Callable]) -> PythonScriptEngine:
    """Return a script engine that evaluates only the restricted language with these functions."""
    return RestrictedScriptEngine(environment=_RestrictedEnvironment(functions))
