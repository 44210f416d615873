"""The import templates: the documentation is generated from them and every example row fits its template."""

from dashboard import imports, templates
from dashboard.config import PROJECT_ROOT


def test_docs_import_templates_is_generated_from_the_templates():
    assert (PROJECT_ROOT / "docs" / "import-templates.md").read_text(encoding="utf-8") == templates.markdown()


def test_every_example_has_the_required_columns_and_well_formed_cells():
    for name, template in templates.TEMPLATES.items():
        problems = []
        frame = imports.read_table(imports.Upload(template.file, templates.template_csv(name).encode()), problems)
        assert problems == [] and frame is not None, name
        required = [c.name for c in template.columns if c.required]
        assert [c for c in required if c not in frame.columns] == [], name
        for column in template.columns:
            for value in frame.get(column.name, []):
                if column.kind not in ("iris", "area"):
                    _, message, _ = imports._check_cell(column, value, set(), set())
                    assert message is None, (name, column.name, value)
