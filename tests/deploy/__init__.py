"""Tests of the production configuration in deploy/: the Celery executor on real workers, Dagster on PostgreSQL."""
