from demo import satisfies


def test_satisfies() -> None:
    assert satisfies("name>=1.2", "1.3")
    assert not satisfies("name<1", "1.0")
