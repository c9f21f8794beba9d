"""The Lambda package: requirements.txt (all `chalice package` reads) is the Lambda's part of the lock,
agreeing with pyproject.toml, and it provides every third-party module the deployed code imports."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from infra import requirements

ROOT = Path(__file__).resolve().parents[2]
# What Chalice copies into the package of its own (chalice/deploy/packager.py, _iter_app_filenames).
CHALICE_RUNTIME_MODULES = {"chalice", "chalice.app"}


def test_the_locks_agree_with_pyproject_and_with_each_other() -> None:
    """requirements.lock pins every dependency pyproject.toml names, within its specifier; requirements.txt (the
    Lambda's) pins each of the Lambda's, at the lock's version; nothing but exact pins (infra/requirements.py)."""
    assert requirements.problems() == [], "run `python -m infra.requirements`"


def test_a_drift_between_pyproject_and_the_locks_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a pin edited in pyproject.toml, a Lambda dependency added, a lock line loosened."""
    pyproject = requirements.PYPROJECT.read_text(encoding="utf-8")
    edited = tmp_path / "pyproject.toml"
    edited.write_text(
        pyproject.replace('"pynamodb==6.1.0"', '"pynamodb==6.0.0", "requests-toolbelt==1.0.0"'), encoding="utf-8"
    )
    loose = tmp_path / "requirements.txt"
    loose.write_text(
        requirements.REQUIREMENTS.read_text(encoding="utf-8").replace("pydantic==", "pydantic>="), encoding="utf-8"
    )
    monkeypatch.setattr(requirements, "PYPROJECT", edited)
    monkeypatch.setattr(requirements, "REQUIREMENTS", loose)
    found = "\n".join(requirements.problems())
    assert "pyproject.toml asks ==6.0.0" in found
    assert "requirements.lock lacks requests-toolbelt" in found and "requirements.txt lacks requests-toolbelt" in found
    assert "not an exact pin: pydantic>=" in found


def test_chalice_is_left_to_chalice() -> None:
    names = {requirements.project_name(line) for line in _requirement_lines()}
    assert "chalice" not in names


def _requirement_lines() -> list[str]:
    lines = requirements.REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _closure(lines: list[str]) -> set[str]:
    """Distributions installed by these requirements, transitively (from the installed metadata)."""
    seen: set[str] = set()
    stack = [Requirement(line) for line in lines]
    while stack:
        req = stack.pop()
        name = requirements.project_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        for raw in importlib.metadata.requires(req.name) or []:
            dep = Requirement(raw)
            extras = req.extras or {""}
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in extras):
                stack.append(dep)
    return seen


class _Imports(ast.NodeVisitor):
    """Absolute imports, skipping `if TYPE_CHECKING:` blocks (never executed)."""

    def __init__(self) -> None:
        self.modules: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
        if name == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.modules.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self.modules.add(node.module)


def _deployed_imports() -> dict[str, set[str]]:
    """Module imported -> files importing it, for the code Chalice packages (app.py, chalicelib/)."""
    found: dict[str, set[str]] = {}
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        if str(path.relative_to(ROOT)) in LOCAL_ONLY:
            continue
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        for module in visitor.modules:
            found.setdefault(module, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_of_the_deployed_code_is_packaged() -> None:
    packaged = _closure(_requirement_lines())
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for module, files in _deployed_imports().items():
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in ("app", "chalicelib"):
            continue
        if top == "chalice":
            if module not in CHALICE_RUNTIME_MODULES:
                missing[module] = ("only chalice/app.py is packaged", sorted(files))
            continue
        dists = {requirements.project_name(d) for d in providers.get(top, [])}
        if not dists & packaged:
            missing[module] = (f"provided by {sorted(dists) or 'nothing installed'}", sorted(files))
    assert not missing, f"imported by the Lambda code but not packaged by requirements.txt: {missing}"


def test_the_package_carries_the_templates_and_fonts_where_the_app_looks(tmp_path: Path) -> None:
    """The app files and vendor/ zipped by Chalice's own packager (not the dependencies: those need a download),
    after infra/package.sh's copy step: templates/ lands beside chalicelib/, where the loader looks."""
    import shutil
    import zipfile

    from chalice.deploy.packager import LambdaDeploymentPackager
    from chalice.utils import OSUtils

    from chalicelib.messaging import templates
    from infra.vendor import vendor_templates

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "app.py", project / "app.py")
    shutil.copytree(ROOT / "chalicelib", project / "chalicelib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", project / "templates")
    vendor_templates(project)
    packager = LambdaDeploymentPackager(OSUtils(), None, None)  # type: ignore[arg-type]
    zip_path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(zip_path, "w") as zipped:
        packager._add_app_files(zipped, str(project))
        packager._add_vendor_files(zipped, str(project / "vendor"))
    names = set(zipfile.ZipFile(zip_path).namelist())
    assert {"app.py", "chalicelib/messaging/templates.py", "chalicelib/printing/fonts/DejaVuSerif.ttf"} <= names
    for template in ("letters/voeux.j2", "emails/invitation.html", "sms/invitation.txt", "public/rsvp.html"):
        assert f"templates/{template}" in names, template
    relative = templates.TEMPLATES.relative_to(ROOT)
    assert str(relative) == "templates", "the loader looks beside chalicelib/, where vendor/ lands"


# The local stage's own modules: imported only when AGORA_STAGE is local (app.py, auth.py), their libraries come
# from pyproject's `local` extra, never from the Lambda package.
LOCAL_ONLY = {"chalicelib/local_auth.py", "chalicelib/api/docs.py"}


def test_local_only_modules_are_imported_lazily_and_only_there() -> None:
    """Nothing deployed imports them at module level: a top-level import would load them on every stage."""
    names = {"chalicelib.local_auth", "chalicelib.api.docs"}
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                imported = {a.name for a in node.names}
            else:
                continue
            assert not (imported & names), f"{path.relative_to(ROOT)} imports {imported & names} at module level"


def test_every_aws_service_the_code_calls_keeps_its_model_in_the_package() -> None:
    """infra/slim.py drops botocore's models of the services not in its list: a client for one of those would
    fail in Lambda with UnknownServiceError. Every `client("…")` of the deployed code must be listed."""
    from infra.slim import SERVICES

    called = {"dynamodb"}  # PynamoDB
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "client"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                called.add(node.args[0].value)
    assert called - SERVICES == set(), f"add to infra/slim.py SERVICES: {sorted(called - SERVICES)}"
    assert len(called) >= 6  # the scan finds the clients (cognito-idp, dynamodb, s3, ses, sns, sqs)


def test_slimming_removes_unused_service_models_and_build_sources_only(tmp_path: Path) -> None:
    import zipfile

    from infra.slim import removable, slim

    assert removable("botocore/data/ec2/2016-11-15/service-2.json.gz")
    assert removable("boto3/data/ec2/2016-11-15/resources-1.json")
    assert not removable("botocore/data/dynamodb/2012-08-10/service-2.json.gz")
    assert not removable("botocore/data/endpoints.json")  # shared data stays
    assert removable("fontTools/misc/bezierTools.c")
    assert removable("pydantic_core/core_schema.pyi")
    assert not removable("fontTools/misc/bezierTools.py")
    assert not removable("fontTools/misc/bezierTools.cpython-311-x86_64-linux-gnu.so")
    assert not removable("chalicelib/printing/fonts/DejaVuSerif.ttf")
    assert removable("icalendar/tests/calendars/example.ics")  # the test suite icalendar ships
    assert not removable("icalendar/cal/event.py")
    # rapidfuzz's AVX2 twins go, the generic builds it falls back to stay; Pillow's AVIF codec goes, its core stays.
    assert removable("rapidfuzz/fuzz_cpp_avx2.cpython-311-x86_64-linux-gnu.so")
    assert removable("rapidfuzz/distance/metrics_cpp_avx2.cpython-311-x86_64-linux-gnu.so")
    assert not removable("rapidfuzz/fuzz_cpp.cpython-311-x86_64-linux-gnu.so")
    assert not removable("rapidfuzz/distance/metrics_cpp.cpython-311-x86_64-linux-gnu.so")
    assert removable("PIL/_avif.cpython-311-x86_64-linux-gnu.so")
    assert removable("pillow.libs/libavif-0b1c2ae7.so.16.4.1")
    assert not removable("PIL/_imaging.cpython-311-x86_64-linux-gnu.so")
    assert not removable("pillow.libs/libjpeg-02b4d8cf.so.62.4.0")
    assert not removable("PIL/AvifImagePlugin.py")  # it disables the format itself when _avif is missing
    path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("app.py", "print('app')")
        zipped.writestr("botocore/data/ec2/2016-11-15/service-2.json.gz", b"x" * 1000)
        zipped.writestr("botocore/data/sqs/2012-11-05/service-2.json.gz", b"y" * 10)
    trimmed = slim(path)
    assert (trimmed.kept, trimmed.removed, trimmed.removed_bytes) == (2, 1, 1000)
    with zipfile.ZipFile(path) as zipped:
        assert sorted(zipped.namelist()) == ["app.py", "botocore/data/sqs/2012-11-05/service-2.json.gz"]
        assert zipped.read("app.py") == b"print('app')"


def _wheel(root: Path, dist: str, *tags: str) -> None:
    info = root / f"{dist}.dist-info"
    info.mkdir(parents=True)
    (info / "WHEEL").write_text("Wheel-Version: 1.0\nRoot-Is-Purelib: false\n" + "".join(f"Tag: {t}\n" for t in tags))


def test_a_wheel_built_here_or_for_a_newer_glibc_than_lambdas_is_found(tmp_path: Path) -> None:
    """Lambda's python3.11 has glibc 2.26: a locally compiled wheel, or a manylinux_2_28 one, would fail to load."""
    _wheel(tmp_path, "jinja2-3.1.6", "py3-none-any")
    _wheel(tmp_path, "pydantic_core-2.46.4", "cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64")
    _wheel(tmp_path, "markupsafe-3.0.4", "cp311-cp311-manylinux_2_28_x86_64", "cp311-cp311-manylinux2014_x86_64")
    _wheel(tmp_path, "rapidfuzz-3.14.6", "cp311-cp311-linux_x86_64")
    _wheel(tmp_path, "pillow-13.0.0", "cp311-cp311-manylinux_2_27_x86_64", "cp311-cp311-manylinux_2_28_x86_64")
    assert requirements.foreign_builds(tmp_path) == [
        "pillow-13.0.0.dist-info: cp311-cp311-manylinux_2_27_x86_64, cp311-cp311-manylinux_2_28_x86_64",
        "rapidfuzz-3.14.6.dist-info: cp311-cp311-linux_x86_64",
    ]
