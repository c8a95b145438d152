"""The one private virtualenv attribute the seeder relies on is still there."""

from __future__ import annotations


def test_virtualenv_still_has_the_seed_wheel_lookup() -> None:
    from virtualenv.seed.embed.via_app_data.via_app_data import FromAppData

    from virtualenv_ready.seeder import _SEED_WHEELS

    assert hasattr(FromAppData, _SEED_WHEELS), f"virtualenv dropped FromAppData.{_SEED_WHEELS}: see seeder.seed_wheels"
