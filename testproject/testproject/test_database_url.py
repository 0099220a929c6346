"""Pure-logic tests of DATABASE_URL parsing into the two aliases."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from testproject.database_url import databases_from_url

BASE = Path("/srv/project")


class DatabaseUrlTests(SimpleTestCase):
    def test_no_url_means_sqlite_files(self):
        databases = databases_from_url(None, BASE)
        self.assertEqual(databases["default"]["NAME"], BASE / "db.sqlite3")
        self.assertEqual(databases["other"]["NAME"], BASE / "other.sqlite3")

    def test_sqlite_leaves_test_name_unset(self):
        # An unset TEST NAME is what makes Django use in-memory test databases.
        databases = databases_from_url("", BASE)
        self.assertNotIn("TEST", databases["default"])

    def test_postgres_url(self):
        default = databases_from_url("postgres://user:pw@db.example:6543/shop", BASE)["default"]
        self.assertEqual(
            default,
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "shop",
                "USER": "user",
                "PASSWORD": "pw",
                "HOST": "db.example",
                "PORT": "6543",
            },
        )

    def test_other_gets_suffix(self):
        databases = databases_from_url("postgres://user:pw@localhost:5432/shop", BASE)
        self.assertEqual(databases["other"]["NAME"], "shop_other")
        self.assertEqual(databases["other"]["HOST"], "localhost")

    def test_postgresql_scheme_accepted(self):
        databases = databases_from_url("postgresql://u:p@h/n", BASE)
        self.assertEqual(databases["default"]["NAME"], "n")

    def test_missing_port_is_empty(self):
        self.assertEqual(databases_from_url("postgres://u:p@h/n", BASE)["default"]["PORT"], "")

    def test_percent_encoded_password(self):
        self.assertEqual(
            databases_from_url("postgres://u:p%40ss@h/n", BASE)["default"]["PASSWORD"], "p@ss"
        )

    def test_mysql_url(self):
        databases = databases_from_url("mysql://user:pw@db.example:3307/shop", BASE)
        default = databases["default"]
        self.assertEqual(default["ENGINE"], "django.db.backends.mysql")
        self.assertEqual(
            (default["NAME"], default["USER"], default["PASSWORD"], default["HOST"]),
            ("shop", "user", "pw", "db.example"),
        )
        self.assertEqual(default["PORT"], "3307")
        self.assertEqual(default["OPTIONS"], {"charset": "utf8mb4"})
        self.assertEqual(databases["other"]["NAME"], "shop_other")

    def test_mariadb_scheme_is_mysql(self):
        databases = databases_from_url("mariadb://u:p@h/n", BASE)
        self.assertEqual(databases["default"]["ENGINE"], "django.db.backends.mysql")

    def test_postgres_has_no_mysql_options(self):
        self.assertNotIn("OPTIONS", databases_from_url("postgres://u:p@h/n", BASE)["default"])

    def test_other_scheme_rejected_without_leaking_password(self):
        with self.assertRaises(ImproperlyConfigured) as caught:
            databases_from_url("oracle://u:topsecret@h/n", BASE)
        self.assertIn("'oracle'", str(caught.exception))
        self.assertNotIn("topsecret", str(caught.exception))

    def test_missing_name_rejected(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "expected one database name"):
            databases_from_url("postgres://u:p@h:5432/", BASE)

    def test_bad_port_rejected(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASE_URL port"):
            databases_from_url("postgres://u:p@h:notaport/n", BASE)
