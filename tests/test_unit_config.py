"""Unit tests of the option table and its precedence (no database, no processes)."""

from __future__ import annotations

import dataclasses

import pytest

from concurrent_test_app.config import OPTIONS, Config, resolve
from concurrent_test_app.exceptions import ConfigurationException


def test_defaults_when_nothing_is_set():
    config = resolve({}, environ={}, settings_dict={})
    assert config.workers == "auto"
    assert config.sources["workers"] == "default"


def test_explicit_beats_environment_beats_settings():
    env = {"DJANGO_TEST_WORKERS": "3"}
    settings = {"WORKERS": 5}
    assert resolve({"workers": 2}, environ=env, settings_dict=settings).workers == 2
    assert resolve({}, environ=env, settings_dict=settings).workers == 3
    assert resolve({}, environ={}, settings_dict=settings).workers == 5


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1.5", ""])
def test_bad_worker_counts_name_the_variable_and_value(value):
    if value == "":
        # An empty variable counts as unset, like an unexported one.
        assert resolve({}, environ={"DJANGO_TEST_WORKERS": ""}, settings_dict={}).workers == "auto"
        return
    with pytest.raises(ConfigurationException) as raised:
        resolve({}, environ={"DJANGO_TEST_WORKERS": value}, settings_dict={})
    message = str(raised.value)
    assert message.startswith(f"DJANGO_TEST_WORKERS={value!r}")
    assert "positive integer or 'auto'" in message
    assert raised.value.returncode == 2


def test_auto_is_case_insensitive():
    assert resolve({}, environ={"DJANGO_TEST_WORKERS": "AUTO"}, settings_dict={}).workers == "auto"


def test_bad_flag_names_the_flag():
    with pytest.raises(ConfigurationException, match=r"^--workers='x'"):
        resolve({"workers": "x"}, environ={}, settings_dict={})


def test_unknown_settings_key_is_rejected():
    with pytest.raises(ConfigurationException, match="unknown key 'WORKRES'"):
        resolve({}, environ={}, settings_dict={"WORKRES": 2})


def test_retry_delay_must_be_a_number():
    with pytest.raises(ConfigurationException, match=r"DJANGO_TEST_RETRY_DELAY='fast'"):
        resolve({}, environ={"DJANGO_TEST_RETRY_DELAY": "fast"}, settings_dict={})


def test_worker_setup_must_be_a_dotted_path():
    config = resolve({}, environ={}, settings_dict={"WORKER_SETUP": "pkg.mod.func"})
    assert config.worker_setup == "pkg.mod.func"
    with pytest.raises(ConfigurationException, match="WORKER_SETUP"):
        resolve({}, environ={}, settings_dict={"WORKER_SETUP": "not a path"})


def test_start_method_is_spawn_unless_forkserver_is_asked_for():
    assert resolve({}, environ={}, settings_dict={}).start_method == "spawn"
    environ = {"DJANGO_TEST_START_METHOD": " ForkServer "}
    assert resolve({}, environ=environ, settings_dict={}).start_method == "forkserver"
    with pytest.raises(
        ConfigurationException,
        match=r"^settings.CONCURRENT_TEST\['START_METHOD'\]='fork': expected 'spawn' or 'forkserver'$",
    ):
        resolve({}, environ={}, settings_dict={"START_METHOD": "fork"})


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
@pytest.mark.parametrize(
    "variable", ["TIMEOUT", "RUN_TIMEOUT", "HEALTH_CHECK_INTERVAL", "RETRY_DELAY"]
)
def test_non_finite_seconds_are_rejected(variable, value):
    name = f"DJANGO_TEST_{variable}"
    with pytest.raises(ConfigurationException, match=rf"^{name}='{value}': expected a number"):
        resolve({}, environ={name: value}, settings_dict={})
    with pytest.raises(ConfigurationException, match=rf"^--{variable.lower().replace('_', '-')}="):
        resolve({variable.lower(): float(value)}, environ={}, settings_dict={})


def test_every_bad_value_in_every_source_is_reported_on_a_line_of_its_own():
    env = {"DJANGO_TEST_TIMEOUT": "abc", "DJANGO_TEST_WORKERS": "3"}
    settings = {"WORKERS": "many", "MAX_RETRIES": -1}

    with pytest.raises(ConfigurationException) as raised:
        resolve({"timeout": 10}, environ=env, settings_dict=settings)

    assert str(raised.value).splitlines() == [
        "settings.CONCURRENT_TEST['WORKERS']='many': expected a positive integer or 'auto'",
        "DJANGO_TEST_TIMEOUT='abc': expected a number of seconds greater than 0",
        "settings.CONCURRENT_TEST['MAX_RETRIES']=-1: expected an integer of 0 or more",
    ]
    assert raised.value.returncode == 2


def test_every_option_of_the_table_is_a_typed_field():
    fields = [field for field in dataclasses.fields(Config) if field.name != "sources"]
    assert [field.name for field in fields] == [option.name for option in OPTIONS]
    assert all(field.type not in ("", "Any") for field in fields), fields


def test_a_resolved_config_is_frozen_and_holds_every_value():
    config = resolve({"workers": 2}, environ={"DJANGO_TEST_TIMEOUT": "7"}, settings_dict={})
    assert (config.workers, config.timeout, config.benchmark) == (2, 7.0, False)
    assert dict(config.sources) == {
        **{option.name: "default" for option in OPTIONS},
        "workers": "--workers",
        "timeout": "DJANGO_TEST_TIMEOUT",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.workers = 3
