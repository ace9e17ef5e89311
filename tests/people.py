"""The named people of `tests/conftest.py`, by fixture name: parametrize a test over them with `PEOPLE`."""

# Centre one: `ouder` (parent of `kind`), `ouder_buur` (parent of `kind_buur`, same group), `medewerker` (staff of
# the group), `manager`; centre two: `ouder_elders`, `medewerker_elders`, `manager_elders`; and the `trainer`.
PEOPLE = (
    "ouder",
    "ouder_buur",
    "medewerker",
    "manager",
    "ouder_elders",
    "medewerker_elders",
    "manager_elders",
    "trainer",
)
PARENTS = ("ouder", "ouder_buur", "ouder_elders")
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
