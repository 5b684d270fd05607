"""The demo's matters that allow 告知承诺 ask for the signed commitment under the catalogue's own key, so
that a demo case can be approved on commitment (cases.services.intake refuses it without that file)."""

from onewindow.catalogue.domain import COMMITMENT_LETTER
from onewindow.demo import data


def test_every_commitment_matter_of_the_demo_asks_for_the_signed_commitment():
    commitment_matters = [m for m in data.MATTERS if m.commitment]
    assert commitment_matters
    assert [m.code for m in commitment_matters if COMMITMENT_LETTER.key not in m.materials] == []
    letter = data.MATERIALS[COMMITMENT_LETTER.key]
    assert (letter.name, letter.required) == (COMMITMENT_LETTER.name, False)  # not needed for ordinary acceptance
