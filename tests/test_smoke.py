def test_world_builds_with_every_persona(personas, world):
    assert world.project.partners.count() == 3
    assert set(personas) == {"mu", "coordinator", "reporter_a", "reporter_b", "viewer", "outsider"}
