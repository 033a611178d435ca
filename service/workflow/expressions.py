"""Safe evaluator for the expressions and scripts that BPMN diagrams contain.

Diagrams are edited by non-developers, so their text is untrusted input: it is parsed with
ast.parse and interpreted node by node against a whitelist. Python's eval/exec never see it.
"""

from __future__ import annotations

import ast
import functools
import operator
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

MAX_SOURCE_LENGTH = 10_000
MAX_DEPTH = 50
MAX_STEPS = 100_000
MAX_SEQUENCE_LENGTH = 10_000
MAX_INT_BITS = 4_096


class ExpressionError(Exception):
    """An expression or script that is not allowed, or that failed while running."""

_MISSING = object()
_CONSTANT_TYPES = frozenset({str, int, float, bool, type(None)})
_NUMBER_TYPES = frozenset({int, float, bool})
_CONTAINER_TYPES = frozenset({list, tuple, dict})

_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|",
    ast.BitXor: "^", ast.BitAnd: "&", ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
    ast.Gt: ">", ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
}
_ARITHMETIC = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}
_COMPARISONS = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda left, right: left in right, ast.NotIn: lambda left, right: left not in right,
}
_ALLOWED_NODES = frozenset({
    ast.Constant, ast.Name, ast.BoolOp, ast.UnaryOp, ast.BinOp, ast.Compare, ast.IfExp, ast.List,
    ast.Tuple, ast.Dict, ast.Subscript, ast.Call, ast.keyword, ast.Assign, ast.AugAssign, ast.If,
    ast.Pass, ast.Expr,
})
_ALLOWED_OPERATORS = {
    ast.BinOp: frozenset(_ARITHMETIC), ast.UnaryOp: frozenset({ast.Not, ast.USub, ast.UAdd}),
    ast.AugAssign: frozenset({ast.Add, ast.Sub}),
}
_REFUSED = {
    ast.Attribute: "attribute access is", ast.Lambda: "lambda is", ast.ListComp: "comprehensions are",
    ast.SetComp: "comprehensions are", ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "generator expressions are", ast.JoinedStr: "f-strings are",
    ast.FormattedValue: "f-strings are", ast.NamedExpr: "assignment expressions (:=) are",
    ast.Await: "await is", ast.Yield: "yield is", ast.YieldFrom: "yield is",
    ast.Starred: "starred expressions are", ast.Slice: "slices are", ast.Set: "set displays are",
    ast.Import: "'import' is", ast.ImportFrom: "'from ... import' is", ast.FunctionDef: "'def' is",
    ast.AsyncFunctionDef: "'async def' is", ast.ClassDef: "'class' is", ast.For: "'for' is",
    ast.AsyncFor: "'async for' is", ast.While: "'while' is", ast.With: "'with' is",
    ast.AsyncWith: "'async with' is", ast.Try: "'try' is", ast.TryStar: "'try' is", ast.Raise: "'raise' is",
    ast.Delete: "'del' is", ast.Global: "'global' is", ast.Nonlocal: "'nonlocal' is",
    ast.Return: "'return' is", ast.Assert: "'assert' is", ast.Break: "'break' is",
    ast.Continue: "'continue' is", ast.Match: "'match' is", ast.AnnAssign: "annotated assignment is",
}


def _show(value: Any) -> str:
    # Keys and indexes come from untrusted text or data; keep messages one short line.
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    """Walks a whole parsed tree and collects every construct outside the whitelist."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.too_deep = False

    def problem(self, message: str, node: ast.AST) -> None:
        self.problems.append(f"{message} (line {getattr(node, 'lineno', 1)})")

    def visit(self, node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            # Stopping here keeps both this walk and the interpreter far from Python's recursion limit.
            if not self.too_deep:
                self.too_deep = True
                self.problem(f"nesting is too deep (more than {MAX_DEPTH} levels)", node)
            return
        kind = type(node)
        if kind not in _ALLOWED_NODES:
            self.problem(f"{_REFUSED.get(kind, kind.__name__ + ' is')} not allowed", node)
        elif kind in _ALLOWED_OPERATORS and type(node.op) not in _ALLOWED_OPERATORS[kind]:
            symbol = _SYMBOLS.get(type(node.op), "~") + ("=" if kind is ast.AugAssign else "")
            self.problem(f"operator '{symbol}' is not allowed", node)
        if kind is ast.Constant and type(node.value) not in _CONSTANT_TYPES:
            self.problem(f"constants of type {type(node.value).__name__} are not allowed", node)
        elif kind is ast.keyword and node.arg is None:
            self.problem("'**' arguments are not allowed", node)
        elif kind is ast.Name or kind is ast.keyword:
            name = node.id if kind is ast.Name else node.arg
            # Dunder names are the classic way out of a Python sandbox; refuse the whole prefix.
            if name.startswith("_"):
                self.problem(f"names starting with '_' are not allowed: '{name}'", node)
        elif kind is ast.Dict and None in node.keys:
            self.problem("'**' in dict displays is not allowed", node)
        elif kind is ast.Call and type(node.func) is not ast.Name:
            self.problem("only named functions may be called", node)
        elif kind is ast.Expr and type(node.value) is not ast.Call:
            self.problem("only function calls may stand alone as statements", node)
        elif kind is ast.Assign and len(node.targets) != 1:
            self.problem("chained assignment is not allowed", node)
        elif kind is ast.Assign or kind is ast.AugAssign:
            target = node.targets[0] if kind is ast.Assign else node.target
            if type(target) is not ast.Name:
                self.problem("only plain names may be assigned", target)
        # Refused constructs are still searched so that one check reports every problem.
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt | ast.expr | ast.keyword):
                self.visit(child, depth + 1)


@functools.lru_cache(maxsize=1024)
def _prepare(source: str, script: bool) -> tuple[ast.AST | None, tuple[str, ...]]:
    """Parse and check source once; the same few diagram expressions are evaluated very often."""
    if not isinstance(source, str):
        return None, ("source must be a string (line 1)",)
    if len(source) > MAX_SOURCE_LENGTH:
        return None, (f"source is too long ({len(source)} characters, at most {MAX_SOURCE_LENGTH}) (line 1)",)
    # Diagram XML indents its text, which Python would otherwise read as an indentation error.
    text = textwrap.dedent(source) if script else source.strip()
    if not script and not text:
        return None, ("empty expression (line 1)",)
    try:
        tree = ast.parse(text, mode="exec" if script else "eval")
    except SyntaxError as err:
        return None, (f"syntax error: {err.msg} (line {err.lineno or 1})",)
    except (RecursionError, MemoryError):
        return None, (f"nesting is too deep (more than {MAX_DEPTH} levels) (line 1)",)
    except ValueError as err:
        return None, (f"syntax error: {err} (line 1)",)
    checker = _Checker()
    for node in ast.iter_child_nodes(tree):
        checker.visit(node, 1)
    return tree, tuple(dict.fromkeys(checker.problems))


class _Interpreter:
    """Evaluates a checked tree; one instance per evaluation, carrying its step budget."""

    __slots__ = ("scopes", "functions", "assigned", "steps")

    def __init__(self, data: Mapping[str, Any], functions: Mapping[str, Callable], script: bool) -> None:
        self.assigned: dict[str, Any] = {}
        # Script statements see earlier assignments first, then case data, then the functions.
        self.scopes = (self.assigned, data, functions) if script else (data, functions)
        self.functions = functions
        self.steps = 0

    def spend(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise ExpressionError(f"evaluation takes too many steps (more than {MAX_STEPS})")

    def charge(self, value: Any) -> Any:
        # Shared references let a short script build containers whose unfolded size is exponential;
        # nesting or comparing them walks that size, so it is paid for from the step budget.
        pending = [value]
        while pending:
            item = pending.pop()
            self.spend()
            if type(item) is dict:
                pending.extend(item.items())
            elif type(item) in _CONTAINER_TYPES:
                pending.extend(item)
        return value

    def value_of(self, node: ast.expr) -> Any:
        self.spend()
        return _EVALUATORS[type(node)](self, node)

    def element(self, node: ast.expr) -> Any:
        value = self.value_of(node)
        return self.charge(value) if type(value) in _CONTAINER_TYPES else value

    def lookup(self, name: str) -> Any:
        for scope in self.scopes:
            value = scope.get(name, _MISSING)
            if value is not _MISSING:
                return value
        raise ExpressionError(f"unknown name '{name}'")

    def arithmetic(self, op: ast.operator, left: Any, right: Any) -> Any:
        symbol = _SYMBOLS[type(op)]
        if type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES:
            try:
                result = _ARITHMETIC[type(op)](left, right)
            except ZeroDivisionError as err:
                raise ExpressionError("division by zero") from err
            except OverflowError as err:
                raise ExpressionError("number too large") from err
            # Without a limit, repeated 'n = n * n' lines would build numbers of astronomic size.
            if type(result) is int and result.bit_length() > MAX_INT_BITS:
                raise ExpressionError("number too large")
            return result
        if symbol == "+" and type(left) is type(right) and type(left) in (str, list):
            if len(left) + len(right) > MAX_SEQUENCE_LENGTH:
                raise ExpressionError(f"results longer than {MAX_SEQUENCE_LENGTH} are not allowed")
            return left + right
        names = f"{type(left).__name__} and {type(right).__name__}"
        raise ExpressionError(f"operation '{symbol}' is not allowed on {names}")

    def _bool_op(self, node: ast.BoolOp) -> Any:
        # Python semantics: 'and' yields the first falsy operand, 'or' the first truthy one.
        stop_when = type(node.op) is ast.Or
        for operand in node.values:
            value = self.value_of(operand)
            if bool(value) is stop_when:
                return value
        return value

    def _unary_op(self, node: ast.UnaryOp) -> Any:
        operand = self.value_of(node.operand)
        if type(node.op) is ast.Not:
            return not operand
        if type(operand) not in _NUMBER_TYPES:
            raise ExpressionError(f"operation unary '-' or '+' is not allowed on {type(operand).__name__}")
        return -operand if type(node.op) is ast.USub else +operand

    def _compare(self, node: ast.Compare) -> Any:
        left = self.value_of(node.left)
        result: Any = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.element(right_node)
            if type(left) in _CONTAINER_TYPES:
                self.charge(left)
            try:
                result = _COMPARISONS[type(op)](left, right)
            except TypeError as err:
                names = f"{type(left).__name__} and {type(right).__name__}"
                raise ExpressionError(f"'{_SYMBOLS[type(op)]}' is not supported between {names}") from err
            if not result:
                return result
            left = right
        return result

    def _subscript(self, node: ast.Subscript) -> Any:
        container, key = self.value_of(node.value), self.value_of(node.slice)
        kind = type(container).__name__
        if not isinstance(container, Mapping | Sequence):
            raise ExpressionError(f"a {kind} cannot be subscripted")
        try:
            return container[key]
        except KeyError as err:
            raise ExpressionError(f"key {_show(key)} not found") from err
        except IndexError as err:
            raise ExpressionError(f"index {_show(key)} out of range") from err
        except TypeError as err:
            raise ExpressionError(f"a {kind} cannot be subscripted with {_show(key)}") from err

    def _call(self, node: ast.Call) -> Any:
        # Only the whitelist is callable: a callable smuggled in through case data never is.
        name = node.func.id
        function = self.functions.get(name, _MISSING)
        if function is _MISSING:
            raise ExpressionError(f"unknown function '{name}'")
        args = [self.value_of(argument) for argument in node.args]
        kwargs = {keyword.arg: self.value_of(keyword.value) for keyword in node.keywords}
        try:
            return function(*args, **kwargs)
        except ExpressionError:
            raise
        except Exception as err:
            raise ExpressionError(f"function '{name}' failed: {err}") from err

    def block(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            self.spend()
            kind = type(statement)
            if kind is ast.Assign:
                self.assign(statement.targets[0].id, self.value_of(statement.value))
            elif kind is ast.AugAssign:
                name = statement.target.id
                value = self.arithmetic(statement.op, self.lookup(name), self.value_of(statement.value))
                self.assign(name, value)
            elif kind is ast.If:
                self.block(statement.body if self.value_of(statement.test) else statement.orelse)
            elif kind is ast.Expr:
                self.value_of(statement.value)

    def assign(self, name: str, value: Any) -> None:
        if name in self.functions:
            raise ExpressionError(f"cannot assign to '{name}': it is a function name")
        self.assigned[name] = value


_EVALUATORS: dict[type, Callable[[_Interpreter, Any], Any]] = {
    ast.Constant: lambda run, node: node.value,
    ast.Name: lambda run, node: run.lookup(node.id),
    ast.BoolOp: _Interpreter._bool_op,
    ast.UnaryOp: _Interpreter._unary_op,
    ast.BinOp: lambda run, node: run.arithmetic(node.op, run.value_of(node.left), run.value_of(node.right)),
    ast.Compare: _Interpreter._compare,
    ast.IfExp: lambda run, node: run.value_of(node.body if run.value_of(node.test) else node.orelse),
    ast.List: lambda run, node: [run.element(element) for element in node.elts],
    ast.Tuple: lambda run, node: tuple([run.element(element) for element in node.elts]),
    # An unhashable key fails with a TypeError, reported as "evaluation failed: unhashable type".
    ast.Dict: lambda run, node: {
        run.element(key): run.element(value) for key, value in zip(node.keys, node.values, strict=True)
    },
    ast.Subscript: _Interpreter._subscript,
    ast.Call: _Interpreter._call,
}


def _run(source: str, data: Mapping[str, Any], functions: Mapping[str, Callable], script: bool) -> Any:
    tree, problems = _prepare(source, script)
    if problems:
        raise ExpressionError("; ".join(problems))
    interpreter = _Interpreter(data, functions, script)
    try:
        if script:
            interpreter.block(tree.body)
            return interpreter.assigned
        return interpreter.value_of(tree.body)
    except RecursionError as err:
        raise ExpressionError("value is too deeply nested to evaluate") from err
    except (TypeError, ValueError, LookupError, ArithmeticError) as err:
        # What is left comes from case data itself, e.g. an object whose truth value fails.
        raise ExpressionError(f"evaluation failed: {err}") from err


def check_expression(source: str) -> list[str]:
    """Return every problem that makes source unusable as an expression (empty list: fine)."""
    return list(_prepare(source, False)[1])


def check_script(source: str) -> list[str]:
    """Return every problem that makes source unusable as a script (empty list: fine)."""
    return list(_prepare(source, True)[1])


def evaluate(source: str, data: Mapping[str, Any], functions: Mapping[str, Callable]) -> Any:
    """Evaluate an expression against case data and whitelisted functions."""
    return _run(source, data, functions, script=False)


def execute(source: str, data: Mapping[str, Any], functions: Mapping[str, Callable]) -> dict[str, Any]:
    """Run a script; return the names it assigned with their values (data itself is not mutated)."""
    return _run(source, data, functions, script=True)


def _reads(node: ast.AST, bound: set[str], context: type = ast.Load) -> set[str]:
    # Function names in calls count too: a deploy-time check must find those in the whitelist.
    return {sub.id for sub in ast.walk(node) if type(sub) is ast.Name and type(sub.ctx) is context} - bound


def _script_reads(statements: list[ast.stmt], bound: set[str], found: set[str]) -> set[str]:
    """Add names read before surely being assigned to found; return the names surely assigned after."""
    bound = set(bound)
    for statement in statements:
        if type(statement) is ast.If:
            found |= _reads(statement.test, bound)
            # Only a name assigned in both branches is surely assigned after the if.
            assigned_in_body = _script_reads(statement.body, bound, found)
            bound |= assigned_in_body & _script_reads(statement.orelse, bound, found)
        else:
            found |= _reads(statement, bound)
            targets = _reads(statement, set(), ast.Store)
            if type(statement) is ast.AugAssign:
                found |= targets - bound
            bound |= targets
    return bound


def names_used(source: str) -> set[str]:
    """Return the free names an expression or script reads (for deploy-time checks)."""
    tree, problems = _prepare(source, False)
    if not problems:
        return _reads(tree, set())
    script_tree, script_problems = _prepare(source, True)
    if script_problems:
        # Report against the reading the author most likely meant: the one that at least parsed.
        raise ExpressionError("; ".join(script_problems if problems[0].startswith("syntax") else problems))
    found: set[str] = set()
    _script_reads(script_tree.body, set(), found)
    return found
