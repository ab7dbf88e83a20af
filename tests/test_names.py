"""Lists of names as typed in a form field or a spreadsheet cell (evidence/names.py)."""

from evidence.names import split_names


def test_a_form_field_separates_names_by_commas_and_semicolons_each_name_once():
    assert split_names("LinkedIn; DMR News, linkedin ,, Jane  Doe") == ["LinkedIn", "DMR News", "Jane Doe"]
    assert split_names("") == [] and split_names(None) == []


def test_a_spreadsheet_keeps_commas_inside_actors_and_inside_issues_joined_by_semicolons():
    assert split_names("Doe, John; LinkedIn, Inc.\nDMR News", commas="keep") == [
        "Doe, John",
        "LinkedIn, Inc.",
        "DMR News",
    ]
    assert split_names("consent, notice", commas="separate unless semicolons") == ["consent", "notice"]
    assert split_names("privacy, consent; notice", commas="separate unless semicolons") == [
        "privacy, consent",
        "notice",
    ]
