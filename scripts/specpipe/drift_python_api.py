"""The public Python API of a generated package, read from its source, and what changed between two.

The surface is what user code can name: public modules, module-level functions (parameters with kind,
annotation and whether they are required; return annotation), classes (bases; annotated fields with
annotation and whether they have a default, i.e. the attrs constructor's keywords; enum members and their
values; public methods). Names starting with ``_`` are private and skipped. A removed (added) module or
class is reported once, not once per member or submodule.

griffe (``find_breaking_changes``) was tried first: it reports removed objects and new required
parameters, but not a changed annotation of a field or parameter, which is what most document drift
turns into in an attrs-based client (``int | Unset`` -> ``str | Unset``); hence this AST reading.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from .drift_changes import BREAKING, NON_BREAKING, Severity

V = TypeVar("V")

Kind = Literal["removed", "changed", "added"]


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # positional | keyword | var-positional | var-keyword
    annotation: str
    required: bool


@dataclass(frozen=True)
class Function:
    params: tuple[Param, ...]
    returns: str


@dataclass(frozen=True)
class Field:
    annotation: str
    required: bool


@dataclass(frozen=True)
class Class:
    bases: tuple[str, ...]
    fields: dict[str, Field]
    members: dict[str, str]  # enum-style NAME = value assignments
    methods: dict[str, Function]


@dataclass(frozen=True)
class Module:
    functions: dict[str, Function]
    classes: dict[str, Class]


@dataclass(frozen=True)
class ApiChange:
    """One difference in the public API; ``object`` is a dotted name."""

    kind: Kind
    severity: Severity
    object: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "severity": self.severity, "object": self.object, "message": self.message}


def read_api(package_dir: Path) -> dict[str, Module]:
    """Dotted module name -> its public surface, for every public module of the package."""
    package = package_dir.name
    modules: dict[str, Module] = {}
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir).with_suffix("")
        parts = [package, *relative.parts]
        if parts[-1] == "__init__":
            parts.pop()
        if any(part.startswith("_") for part in parts) or "__pycache__" in path.parts:
            continue
        modules[".".join(parts)] = _module(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return modules


def compare_api(before: dict[str, Module], after: dict[str, Module]) -> list[ApiChange]:
    changes: list[ApiChange] = []
    for name, module in before.items():
        if name in after:
            changes.extend(_compare_module(name, module, after[name]))
        elif _parent(name) in after or _parent(name) not in before:  # else its package's removal says it
            changes.append(ApiChange("removed", BREAKING, name, f"Module `{name}` was removed."))
    for name in after:
        if name not in before and (_parent(name) in before or _parent(name) not in after):
            changes.append(ApiChange("added", NON_BREAKING, name, f"Module `{name}` was added."))
    return sorted(changes, key=lambda c: (c.severity != BREAKING, c.object, c.kind, c.message))


def _parent(module: str) -> str:
    return module.rpartition(".")[0]


# --- reading -------------------------------------------------------------------------------------


def _module(tree: ast.Module) -> Module:
    functions: dict[str, Function] = {}
    classes: dict[str, Class] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            functions[node.name] = _function(node)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            classes[node.name] = _class(node)
    return Module(functions, classes)


def _class(node: ast.ClassDef) -> Class:
    fields: dict[str, Field] = {}
    members: dict[str, str] = {}
    methods: dict[str, Function] = {}
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            if not item.target.id.startswith("_"):
                fields[item.target.id] = Field(ast.unparse(item.annotation), item.value is None)
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    members[target.id] = ast.unparse(item.value)
        elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and not item.name.startswith("_"):
            methods[item.name] = _function(item)
    return Class(tuple(ast.unparse(base) for base in node.bases), fields, members, methods)


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Function:
    args = node.args
    params: list[Param] = []
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        params.append(Param(arg.arg, "positional", _annotation(arg), index < first_default))
    if args.vararg is not None:
        params.append(Param(args.vararg.arg, "var-positional", _annotation(args.vararg), False))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(Param(arg.arg, "keyword", _annotation(arg), default is None))
    if args.kwarg is not None:
        params.append(Param(args.kwarg.arg, "var-keyword", _annotation(args.kwarg), False))
    returns = ast.unparse(node.returns) if node.returns is not None else ""
    return Function(tuple(params), returns)


def _annotation(arg: ast.arg) -> str:
    return ast.unparse(arg.annotation) if arg.annotation is not None else ""


# --- comparing -----------------------------------------------------------------------------------


def _compare_module(name: str, before: Module, after: Module) -> Iterator[ApiChange]:
    yield from _by_name("Function", name, before.functions, after.functions, _compare_function)
    yield from _by_name("Class", name, before.classes, after.classes, _compare_class)


def _by_name(
    kind: str,
    prefix: str,
    before: Mapping[str, V],
    after: Mapping[str, V],
    compare: Callable[[str, V, V], Iterator[ApiChange]],
) -> Iterator[ApiChange]:
    """Entries of two name -> thing maps: removed (breaking), compared where both have them, added."""
    for key, old in before.items():
        where = f"{prefix}.{key}"
        if key in after:
            yield from compare(where, old, after[key])
        else:
            yield ApiChange("removed", BREAKING, where, f"{kind} `{where}` was removed.")
    for key in after.keys() - before.keys():
        where = f"{prefix}.{key}"
        yield ApiChange("added", NON_BREAKING, where, f"{kind} `{where}` was added.")


def _compare_class(dotted: str, before: Class, after: Class) -> Iterator[ApiChange]:
    if before.bases != after.bases:
        message = (
            f"Bases of `{dotted}` changed from ({', '.join(before.bases)}) to ({', '.join(after.bases)})."
        )
        yield ApiChange("changed", BREAKING, dotted, message)
    for field, old in before.fields.items():
        where = f"{dotted}.{field}"
        new = after.fields.get(field)
        if new is None:
            yield ApiChange("removed", BREAKING, where, f"Field `{where}` was removed.")
            continue
        if old.annotation != new.annotation:
            message = f"Type of field `{where}` changed from `{old.annotation}` to `{new.annotation}`."
            yield ApiChange("changed", _widening(old.annotation, new.annotation), where, message)
        if new.required and not old.required:
            yield ApiChange("changed", BREAKING, where, f"Field `{where}` became required.")
        elif old.required and not new.required:
            yield ApiChange("changed", NON_BREAKING, where, f"Field `{where}` became optional.")
    for field in after.fields.keys() - before.fields.keys():
        where = f"{dotted}.{field}"
        required = after.fields[field].required
        severity: Severity = BREAKING if required else NON_BREAKING
        yield ApiChange(
            "added", severity, where, f"{'Required' if required else 'Optional'} field `{where}` was added."
        )
    for member, value in before.members.items():
        where = f"{dotted}.{member}"
        if member not in after.members:
            yield ApiChange("removed", BREAKING, where, f"`{where}` was removed.")
        elif after.members[member] != value:
            yield ApiChange(
                "changed",
                BREAKING,
                where,
                f"Value of `{where}` changed from {value} to {after.members[member]}.",
            )
    for member in after.members.keys() - before.members.keys():
        where = f"{dotted}.{member}"
        yield ApiChange("added", NON_BREAKING, where, f"`{where}` = {after.members[member]} was added.")
    yield from _by_name("Method", dotted, before.methods, after.methods, _compare_function)


def _compare_function(dotted: str, before: Function, after: Function) -> Iterator[ApiChange]:
    old_params = {param.name: param for param in before.params}
    new_params = {param.name: param for param in after.params}
    for name, old in old_params.items():
        new = new_params.get(name)
        if new is None:
            yield ApiChange("changed", BREAKING, dotted, f"Parameter `{name}` of `{dotted}` was removed.")
            continue
        if old.kind != new.kind:
            message = f"Parameter `{name}` of `{dotted}` changed from {old.kind} to {new.kind}."
            yield ApiChange("changed", BREAKING, dotted, message)
        if old.annotation != new.annotation:
            message = f"Type of parameter `{name}` of `{dotted}` changed from `{old.annotation}` to `{new.annotation}`."
            yield ApiChange("changed", _widening(old.annotation, new.annotation), dotted, message)
        if new.required and not old.required:
            yield ApiChange("changed", BREAKING, dotted, f"Parameter `{name}` of `{dotted}` became required.")
        elif old.required and not new.required:
            yield ApiChange(
                "changed", NON_BREAKING, dotted, f"Parameter `{name}` of `{dotted}` became optional."
            )
    for name, new in new_params.items():
        if name not in old_params:
            severity: Severity = BREAKING if new.required else NON_BREAKING
            kind = "Required" if new.required else "Optional"
            yield ApiChange(
                "changed", severity, dotted, f"{kind} parameter `{name}` was added to `{dotted}`."
            )
    both = {p.name for p in before.params if p.kind == "positional"} & {
        p.name for p in after.params if p.kind == "positional"
    }
    old_order = [p.name for p in before.params if p.name in both]
    new_order = [p.name for p in after.params if p.name in both]
    if old_order != new_order:
        message = f"Positional parameters of `{dotted}` were reordered: ({', '.join(old_order)}) -> ({', '.join(new_order)})."
        yield ApiChange("changed", BREAKING, dotted, message)
    if before.returns != after.returns:
        message = f"Return type of `{dotted}` changed from `{before.returns}` to `{after.returns}`."
        yield ApiChange("changed", BREAKING, dotted, message)


def _widening(old: str, new: str) -> Severity:
    """Non-breaking when the new annotation accepts every value of the old one (``int`` -> ``float``,
    ``X`` -> ``X | None``, a union gaining members): code passing old values keeps working. Whether
    a narrower type read from a response is fine is for the document rules, which know directions."""
    accepted = {part.strip() for part in new.split("|")}
    if "float" in accepted:
        accepted.add("int")
    return NON_BREAKING if {part.strip() for part in old.split("|")} <= accepted else BREAKING
