"""Build hook: compile the message catalogues (.po -> .mo) into the wheel.

The metadata lives in pyproject.toml; this file only extends ``build_py`` so every
built package carries the compiled catalogues, which are never committed.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path("pen") / "translations"


class BuildPyWithCatalogues(build_py):
    """``build_py``, then ``pybabel compile`` for every language of ``pen/translations``."""

    def run(self) -> None:
        """Copy the package as usual, then write a ``.mo`` beside each ``.po``."""
        super().run()
        # Editable installs import from the checkout, so the catalogues go there (.gitignore).
        target = Path(".") if self.editable_mode else Path(self.build_lib)
        for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
            compile_catalogue(po_path, target / po_path.with_suffix(".mo"))


def compile_catalogue(po_path: Path, mo_path: Path) -> None:
    """What ``pybabel compile`` does for one catalogue: fuzzy entries are left out."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parts[-3])
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
