"""On PostgreSQL the database itself refuses overlapping periods of one project.

An exclusion constraint needs btree_gist for the equality on project_id; SQLite has no such
constraint, so there ReportingPeriod.clean() (called by every service) is the guard.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE consortium_reportingperiod ADD CONSTRAINT period_no_overlap_per_project
    EXCLUDE USING gist (project_id WITH =, daterange(start_date, end_date, '[]') WITH &&);
"""
DROP = "ALTER TABLE consortium_reportingperiod DROP CONSTRAINT IF EXISTS period_no_overlap_per_project;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("consortium", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
