"""The extraction pipeline on sentences written for these tests (never copied from the seeds)."""

from __future__ import annotations

import datetime as dt

import pytest


def events_of(extraction, event_type=None):
    return [e for e in extraction.events if event_type is None or e.type == event_type]


def participant(extraction, event, role):
    labels = [extraction.actor(p.actor).label for p in event.participants if p.role == role]
    return labels[0] if labels else None


@pytest.mark.parametrize(
    "text, city",
    [
        ("The Taliban captured Ghazni on Thursday.", "city/ghazni"),
        ("Insurgents seized the city of Farah after days of fighting.", "city/farah"),
        ("Qala-i-Naw fell to the Taliban on Friday evening.", "city/qala-i-naw"),
        ("The Taliban took control of Pul-e Khumri, the capital of Baghlan province.", "city/pul-e-khumri"),
    ],
)
def test_extraction_capture_of_a_named_city(extracted, text, city):
    x = extracted(text)
    captures = events_of(x, "CaptureOfTerritory")
    assert [e.places for e in captures] == [(city,)]
    assert participant(x, captures[0], "AgentRole") in ("Taliban", None)


def test_extraction_capture_lists_every_place_of_a_list(extracted):
    x = extracted("On Sunday the militants overran Maimana, Qalat and Tarinkot in a single day.")
    places = sorted(e.places[0] for e in events_of(x, "CaptureOfTerritory"))
    assert places == ["city/maymana", "city/qalat", "city/tarinkot"]


def test_extraction_place_in_an_apposition_is_not_captured(extracted):
    x = extracted("The Taliban seized Qalat, the capital of Zabul province, on Wednesday.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/qalat",)]


def test_extraction_province_cue_links_the_province_not_the_city(extracted):
    city = extracted("The Taliban captured Kunduz on Sunday.")
    province = extracted("The Taliban captured Kunduz province on Sunday.")
    assert events_of(city, "CaptureOfTerritory")[0].places == ("city/kunduz",)
    assert events_of(province, "CaptureOfTerritory")[0].places == ("province/kunduz",)


def test_extraction_passive_capture_takes_the_agent_after_by(extracted):
    x = extracted("Gardez was captured by the Taliban late on Friday.")
    event = events_of(x, "CaptureOfTerritory")[0]
    assert event.places == ("city/gardez",)
    assert participant(x, event, "AgentRole") == "Taliban"


def test_extraction_surrender_of_a_named_official_with_title_and_province(extracted):
    x = extracted(
        "Abdul Wahid Karimi, the police chief of Uruzgan province, surrendered to the Taliban on Saturday, "
        "a local official said."
    )
    event = events_of(x, "Surrender")[0]
    assert participant(x, event, "AffectedRole") == "Abdul Wahid Karimi"
    assert participant(x, event, "SurrenderedToRole") == "Taliban"
    person = next(a for a in x.actors if a.name == "Abdul Wahid Karimi")
    assert [(p.title, p.place_key) for p in person.positions] == [("police chief", "province/uruzgan")]
    assert event.time.date == "2021-08-07"


def test_extraction_surrender_takes_the_province_from_the_passage(extracted):
    x = extracted(
        "Fighting has raged around Faizabad, the capital of Badakhshan, for a week. "
        "Two district governors surrendered without a fight, residents said."
    )
    event = events_of(x, "Surrender")[0]
    assert event.places == ("province/badakhshan",)
    group = x.actor(event.participants[0].actor)
    assert group.cls == "Group" and group.positions[0].title == "district governor"


def test_extraction_unnamed_former_official_keeps_the_role(extracted):
    x = extracted("In Ghor province, a former governor surrendered to the insurgents last night.")
    event = events_of(x, "Surrender")[0]
    official = x.actor(event.participants[0].actor)
    assert official.name is None and official.positions[0].title == "governor" and official.positions[0].former
    assert event.time.date == "2021-08-08"
    assert participant(x, event, "SurrenderedToRole") == "Taliban"  # "the insurgents" refer to the armed group


@pytest.mark.parametrize(
    "text",
    [
        "The governor of Farah has not surrendered, his spokesman said.",
        "Local commanders in Ghor refused to surrender.",
        "Officials denied that the garrison in Zaranj had surrendered.",
    ],
)
def test_extraction_negated_surrender_is_not_a_fact(extracted, text):
    x = extracted(text)
    assert events_of(x, "Surrender") == []
    assert any("negated" in reason for reason in x.dropped)
    assert [d.type for d in x.denied] == ["Surrender"]  # kept as a denied claim, with its evidence


def test_extraction_hedged_report_is_marked_reported(extracted):
    x = extracted("Commander Rahim Jan Safi is said to have surrendered in Herat province.")
    event = events_of(x, "Surrender")[0]
    assert event.modality == "Reported"


def test_extraction_attribution_names_the_speaker(extracted):
    x = extracted(
        "Nasir Ahmad Faqiri, a provincial council member, said that the Taliban captured Maidan Shahr on Monday."
    )
    event = events_of(x, "CaptureOfTerritory")[0]
    assert x.actor(event.according_to).name == "Nasir Ahmad Faqiri"
    assert event.time.date == "2021-08-09"


def test_extraction_pronoun_speaker_refers_back_to_the_last_named_person(extracted):
    x = extracted(
        "Gul Mohammad Hotak, deputy governor of Zabul province, spoke to reporters. "
        '"The Taliban captured Qalat this morning," he said.'
    )
    event = events_of(x, "CaptureOfTerritory")[0]
    assert x.actor(event.according_to).name == "Gul Mohammad Hotak"


def test_extraction_lone_surname_refers_to_the_person_named_before(extracted):
    x = extracted(
        "Ahmad Zia Saraj (the governor of Kapisa province) spoke on Sunday. "
        "Saraj said that several militia commanders surrendered to the Taliban."
    )
    event = events_of(x, "Surrender")[0]
    assert x.actor(event.according_to).name == "Ahmad Zia Saraj"
    assert event.places == ("province/kapisa",)


def test_extraction_provincial_capital_resolves_from_context(extracted):
    x = extracted("Fighting spread across Paktika province. The Taliban took over the provincial capital on Friday.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/sharana",)]


def test_extraction_counts_and_group_size(extracted):
    x = extracted("At least 12 civilians were killed and 40 others were injured in Ghazni on Tuesday.")
    (killing,) = events_of(x, "Killing")
    assert events_of(x, "Injury") == []  # one casualty report: one killing with both counts
    assert dict(killing.counts) == {"killed": 12, "injured": 40}
    clash = extracted("Nine people were killed in heavy fighting in Ghazni on Wednesday night. "
                      "Another 20 were wounded in the fighting.")
    assert events_of(clash, "Killing") == [] and events_of(clash, "Injury") == []
    assert dict(events_of(clash, "ArmedClash")[0].counts) == {"killed": 9, "injured": 20}
    group = extracted("About 300 militia soldiers surrendered in Baghlan province on Friday.")
    soldiers = group.actor(events_of(group, "Surrender")[0].participants[0].actor)
    assert soldiers.cls == "Group" and soldiers.size == 300


def test_extraction_without_publication_date_keeps_the_expression_unresolved(extracted):
    x = extracted("The Taliban captured Ghazni on Thursday.", published=None)
    time = events_of(x, "CaptureOfTerritory")[0].time
    assert time.expression == "on Thursday" or time.expression == "Thursday"
    assert time.date is None and time.precision == "UnknownPrecision"


def test_extraction_evidence_offsets_point_at_the_sentence(extracted, article):
    text = "Heavy rain fell in Kabul.\n\nThe Taliban captured Ghazni on Thursday. Residents fled."
    x = extracted(text)
    event = events_of(x, "CaptureOfTerritory")[0]
    assert text[event.sentence.begin:event.sentence.end] == "The Taliban captured Ghazni on Thursday."
    assert text[event.trigger.begin:event.trigger.end] == "captured"


def test_extraction_headline_without_punctuation_is_its_own_sentence(extracted):
    x = extracted("Ghazni falls to the Taliban\nThe governor fled the city on Thursday.")
    capture = events_of(x, "CaptureOfTerritory")[0]
    assert capture.sentence.text == "Ghazni falls to the Taliban"


def test_extraction_unknown_town_is_not_linked(extracted):
    x = extracted("The Taliban captured Zarghunabad-e Sufla on Monday.")
    assert events_of(x, "CaptureOfTerritory") == []
    assert x.place_mentions == ()


def test_extraction_machine_translation_garble_links_through_a_gazetteer_alias(extracted):
    x = extracted("Insurgents entered AIPIC and captured AIPIC by noon.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/aybak",)]


def test_extraction_is_deterministic(extracted):
    text = "The Taliban captured Ghazni on Thursday. Two commanders surrendered in Ghazni province."
    assert extracted(text) == extracted(text)


def test_extraction_weekday_in_the_publication_week(extracted):
    x = extracted("The Taliban captured Ghazni on Sunday.", published=dt.date(2021, 8, 15))
    assert events_of(x, "CaptureOfTerritory")[0].time.date == "2021-08-15"


def test_extraction_month_and_year_is_a_month_precision_date(extracted):
    x = extracted("By August 2021 the Taliban had captured Ghazni.")
    time = events_of(x, "CaptureOfTerritory")[0].time
    assert (time.date, time.precision) == ("2021-08-01", "MonthPrecision")
    assert extracted("The August 123 figure was revised.").events == ()


def test_extraction_names_with_diacritics_match_the_gazetteer(extracted):
    x = extracted("The Taliban captured Mazār-i-Sharīf on Saturday.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/mazar-i-sharif",)]


def test_extraction_known_person_keeps_the_office_the_article_gives(extracted):
    x = extracted("Atta Muhammad Noor, the former governor of Balkh province, said the Taliban captured Mazar.")
    noor = next(a for a in x.actors if a.name == "Atta Muhammad Noor")
    assert noor.key == "person/atta-muhammad-noor"
    assert [(p.title, p.place_key, p.former) for p in noor.positions] == [("governor", "province/balkh", True)]


def test_extraction_slot_pattern_trigger_matches_any_named_controller(extracted):
    x = extracted("By nightfall Ghazni was under Taliban control.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/ghazni",)]


def test_extraction_fighting_in_two_places_is_two_clashes(extracted):
    x = extracted("Heavy fighting was reported near Herat in the west and in Kandahar in the south on Friday.")
    assert sorted(e.places[0] for e in events_of(x, "ArmedClash")) == ["city/herat", "city/kandahar"]


def test_extraction_a_place_that_surrenders_is_handed_over(extracted):
    x = extracted("Fighting raged around Ghazni for days. On Thursday the city surrendered to the Taliban.")
    (event,) = events_of(x, "Surrender")
    assert event.places[0] == "city/ghazni" and event.time.date == "2021-08-05"
    assert participant(x, event, "AffectedRole") is None


def test_extraction_statement_is_a_public_speech_act_not_every_said(extracted):
    said = extracted("A spokesman said the Taliban captured Ghazni on Thursday.")
    vowed = extracted("On Wednesday, the Taliban vowed to continue the offensive.")
    assert events_of(said, "Statement") == []
    (statement,) = events_of(vowed, "Statement")
    assert participant(vowed, statement, "AgentRole") == "Taliban" and statement.time.date == "2021-08-04"


def test_extraction_relative_day_counts_from_the_last_date_given(extracted):
    x = extracted("Qalat was overrun on Wednesday, a day after the militants took control of Tarinkot.",
                  published=dt.date(2021, 8, 14))
    dates = {e.places[0]: e.time.date for e in events_of(x, "CaptureOfTerritory")}
    assert dates == {"city/qalat": "2021-08-11", "city/tarinkot": "2021-08-10"}


def test_extraction_hypothetical_and_back_references_are_not_new_events(extracted):
    x = extracted("Gunmen killed a journalist in Kabul on Sunday. Police said it was unclear if he was killed "
                  "because of his work. The UN condemned the killing.")
    assert len(events_of(x, "Killing") + events_of(x, "Assassination")) == 1
    assert any("hypothetical" in d for d in x.dropped) and any("refers back" in d for d in x.dropped)


def test_extraction_standalone_day_after_counts_forward(extracted):
    x = extracted("Zaranj fell to the Taliban on Friday. Two days after, Sheberghan fell.")
    assert {e.places[0]: e.time.date for e in events_of(x, "CaptureOfTerritory")} == {
        "city/zaranj": "2021-08-06", "city/sheberghan": "2021-08-08"}


def test_extraction_negation_does_not_cross_a_clause(extracted):
    x = extracted("Fighting stopped after the Taliban captured Ghazni on Thursday.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/ghazni",)]
    assert x.denied == ()


def test_extraction_may_the_month_is_not_may_the_modal(extracted):
    x = extracted("In May, the Taliban captured Ghazni.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/ghazni",)]
    assert extracted("Officials fear Ghazni may fall to the Taliban.").events == ()


def test_extraction_progressive_is_not_passive(extracted):
    x = extracted("Taliban fighters were attacking Lashkar Gah on Monday.")
    (attack,) = events_of(x, "Attack")
    assert participant(x, attack, "AgentRole") == "Taliban"


def test_extraction_prevented_violence_is_not_a_clash(extracted):
    x = extracted("Elders negotiated so that residents of Ghazni were spared from the fighting.")
    assert events_of(x, "ArmedClash") == []
    y = extracted("The army prevented an attack on Ghazni on Monday.")
    assert events_of(y, "Attack") == [] and [d.type for d in y.denied] == ["Attack"]


def test_extraction_present_tense_and_translated_phrasing(extracted):
    x = extracted("On Friday the Taliban take Qalat. Gardez fall in Taliban hand the same evening.")
    assert sorted(e.places[0] for e in events_of(x, "CaptureOfTerritory")) == ["city/gardez", "city/qalat"]
    assert extracted("Families took refuge in Kabul.").events == ()


def test_extraction_place_after_a_long_apposition(extracted):
    x = extracted("Police arrested Gul Ahmad Jan, a former district governor of Ghor, at his home in Herat on Monday.")
    (arrest,) = events_of(x, "Arrest")
    assert arrest.places == ("city/herat",) and participant(x, arrest, "AffectedRole") == "Gul Ahmad Jan"


# --- places the event itself implies ---------------------------------------------------------------------

def test_extraction_possessive_district_is_the_place(extracted):
    x = extracted("About 60 soldiers laid down their arms in Faryab's Qaysar district on Sunday.")
    (surrender,) = events_of(x, "Surrender")
    assert surrender.places[-1] == "district/faryab/qaysar" and surrender.time.date == "2021-08-08"


def test_extraction_nested_places_make_one_capture_of_the_innermost(extracted):
    x = extracted("The insurgents overran the district of Khash Rod in Nimroz on Friday.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("district/nimruz/khash-rod",)]


def test_extraction_counted_unnamed_places_are_not_their_container(extracted):
    x = extracted("The Taliban captured three districts in Ghor province last week.")
    assert events_of(x, "CaptureOfTerritory") == []
    named = extracted("The Taliban captured the two provincial capitals of Qalat and Tarinkot.")
    assert sorted(e.places[0] for e in events_of(named, "CaptureOfTerritory")) == ["city/qalat", "city/tarinkot"]


def test_extraction_office_place_locates_a_defection(extracted):
    x = extracted("A police commander in Shindand district switched sides with 40 of his men.")
    (defection,) = events_of(x, "Defection")
    assert defection.places == ("district/herat/shindand",)


def test_extraction_district_anaphor_follows_the_district_named(extracted):
    x = extracted("Fighting reached Khanabad district on Sunday.\n"
                  "By Monday morning the district centre was under the control of the Taliban.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.places == ("district/kunduz/khanabad",) and capture.time.date == "2021-08-09"
    office = extracted("Fighting reached Khanabad district on Sunday. The district police chief surrendered.")
    (surrender,) = events_of(office, "Surrender")
    assert surrender.places == ("district/kunduz/khanabad",)


def test_extraction_distance_description_does_not_move_the_city_focus(extracted):
    x = extracted("Ghazni, 150 km southwest of Kabul, fell on Friday. Hundreds of families fled the city toward Kabul.")
    assert events_of(x, "CaptureOfTerritory")[0].places == ("city/ghazni",)
    (displacement,) = events_of(x, "Displacement")
    assert displacement.places == ("city/ghazni",)  # fled from Ghazni; Kabul is where they went


def test_extraction_title_case_headline_names_the_place(extracted):
    x = extracted("Government Forces And Militias Abandoned Maymana\nThe Taliban entered the city on Sunday.")
    assert [e.places for e in events_of(x, "Withdrawal")] == [("city/maymana",)]


# --- withdrawals -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Foreign troops began to withdraw from Afghanistan in May.",
    "The Taliban gained ground after the withdrawal of international forces began in May.",
])
def test_extraction_foreign_withdrawal_is_from_the_country(extracted, text):
    (withdrawal,) = events_of(extracted("The fighting in Ghor worsened. " + text), "Withdrawal")
    assert withdrawal.places == ("country/afghanistan",) and withdrawal.time.date == "2021-05-01"


def test_extraction_infinitive_to_is_no_destination(extracted):
    (withdrawal,) = events_of(extracted("Government forces began to withdraw from Maymana on Sunday."), "Withdrawal")
    assert withdrawal.places == ("city/maymana",)


# --- statements ------------------------------------------------------------------------------------------

def test_extraction_speech_act_stays_beside_the_event_it_is_about(extracted):
    x = extracted("The UN mission condemned the killing of a judge in Herat on Saturday.")
    statements = events_of(x, "Statement")
    assert len(statements) == 1 and statements[0].time.date == "2021-08-07"
    framed = extracted("In a statement, the Taliban said their fighters had captured Qalat.")
    assert events_of(framed, "Statement") == [] and events_of(framed, "CaptureOfTerritory")


def test_extraction_one_speakers_statements_are_one_event(extracted):
    x = extracted("UNICEF condemned the violence on Sunday. UNICEF also urged all sides to protect schools.")
    (statement,) = events_of(x, "Statement")
    assert len(statement.mentions) == 2


def test_extraction_wanted_is_not_done(extracted):
    x = extracted("In a statement on Sunday, the Taliban called on soldiers in Ghor to lay down their arms.")
    assert events_of(x, "Surrender") == [] and events_of(x, "Statement")
    assert events_of(extracted("The army vowed to retake Qalat."), "CaptureOfTerritory") == []


# --- dates -----------------------------------------------------------------------------------------------

def test_extraction_report_date_and_deadline_are_not_the_event_date(extracted):
    x = extracted("At least 15 people have been killed in Herat province in the past week, the UN said Monday.")
    assert all(e.time is None for e in x.events)
    future = extracted("The withdrawal of foreign troops from Afghanistan is to be completed by August 31.")
    assert all(e.time is None for e in future.events)


def test_extraction_opening_time_dates_each_clause(extracted):
    x = extracted("On Saturday, the governor gave himself up in Qalat, and the city came under the control of the Taliban.")
    assert {e.type: e.time.date for e in x.events} == {"Surrender": "2021-08-07", "CaptureOfTerritory": "2021-08-07"}
    report = extracted("On Saturday, the governor confirmed that the Taliban had captured Qalat.")
    assert events_of(report, "CaptureOfTerritory")[0].time is None


# --- violence and casualties -----------------------------------------------------------------------------

def test_extraction_casualties_fold_into_their_cause(extracted):
    x = extracted("Heavy fighting hit Maymana on Saturday. A doctor said nine civilians had been killed in the fighting.")
    assert [e.type for e in x.events] == ["ArmedClash"] and dict(x.events[0].counts)["killed"] == 9
    strike = extracted("Air force strikes killed 30 Taliban fighters in Kunduz on Sunday night.")
    (airstrike,) = events_of(strike, "Airstrike")
    assert dict(airstrike.counts)["killed"] == 30 and airstrike.places == ("city/kunduz",)
    fire = extracted("Eight civilians were killed when rockets hit a market in Qalat on Friday.")
    assert [(e.type, dict(e.counts).get("killed")) for e in fire.events] == [("Attack", 8)]


def test_extraction_civilians_fleeing_is_displacement(extracted):
    x = extracted("More than 5,000 families have fled Qalat since Friday.")
    (displacement,) = events_of(x, "Displacement")
    assert displacement.places == ("city/qalat",) and dict(displacement.counts)["displaced"] == 5000
    assert events_of(x, "Withdrawal") == []


def test_extraction_prevented_clash_is_not_a_fact(extracted):
    x = extracted("The insurgents entered Qalat on Saturday without meeting resistance.")
    assert events_of(x, "ArmedClash") == []


def test_extraction_headline_joins_the_body_event_it_restates(extracted):
    x = extracted("Taliban kill district governor\n\nGunmen shot dead the district governor of Shindand in Herat on Friday.")
    (killing,) = [e for e in x.events if e.type in ("Killing", "Assassination")]
    assert len(killing.mentions) == 2 and killing.time.date == "2021-08-06"
    alone = extracted("Taliban kill district governor\n\nThe fighting in Herat went on for days.")
    assert len([e for e in alone.events if e.type in ("Killing", "Assassination")]) == 1


def test_extraction_unopposed_entry_is_a_capture(extracted):
    x = extracted("The insurgents entered Qalat, the capital of Zabul, on Saturday without meeting resistance.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.places == ("city/qalat",) and capture.time.date == "2021-08-07"
    assert events_of(extracted("The insurgents entered Qalat on Saturday."), "CaptureOfTerritory") == []


@pytest.mark.parametrize(
    "text, place",
    [
        ("Fighters have taken the city Maimana.", "city/maymana"),
        ("Reports say the militants have taken the district Nad Ali.", "district/helmand/nad-ali"),
        ("The militants took on Tuesday the control over the city Taloqan.", "city/taloqan"),
        ("Already on Friday fell Qalat, capital in the province Zabul.", "city/qalat"),
    ],
)
def test_extraction_translated_word_orders_of_a_capture(extracted, text, place):
    assert [e.places for e in events_of(extracted(text), "CaptureOfTerritory")] == [(place,)]


def test_extraction_fell_before_a_weekday_is_not_an_inverted_capture(extracted):
    x = extracted("Qalat fell Sunday after two days of fighting.")
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [(("city/qalat",), "2021-08-08")]


def test_extraction_capital_of_a_province_is_the_city(extracted):
    for text in ("The Taliban captured the capital of Zabul province.",
                 "The Taliban took the capital of the province of Zabul on Friday."):
        assert [e.places for e in events_of(extracted(text), "CaptureOfTerritory")] == [("city/qalat",)]
    province = extracted("The Taliban captured Zabul province.")
    assert [e.places for e in events_of(province, "CaptureOfTerritory")] == [("province/zabul",)]


def test_extraction_fighting_takes_the_place_of_the_sentence(extracted):
    x = extracted("After fierce fighting, the Taliban captured Qalat on Friday.")
    (clash,) = events_of(x, "ArmedClash")
    assert clash.places == ("city/qalat",)
    alone = extracted("After fierce fighting, the army said it was confident.")
    assert events_of(alone, "ArmedClash") == []


def test_extraction_clash_in_a_city_is_not_also_in_its_province(extracted):
    x = extracted("Heavy clashes continued near Qalat and in Lashkar Gah in Helmand province.")
    assert sorted(e.places for e in events_of(x, "ArmedClash")) == [("city/lashkar-gah",), ("city/qalat",)]


def test_extraction_district_name_of_two_provinces_follows_the_province_named(extracted):
    x = extracted("The air force struck Taliban positions in Arghandab district of Kandahar province on Tuesday.")
    assert [e.places for e in events_of(x, "Airstrike")] == [("district/kandahar/arghandab",)]
    bare = extracted("The air force struck Taliban positions in Arghandab district on Tuesday.")
    assert all("district/kandahar/arghandab" not in e.places for e in bare.events)


def test_extraction_destination_does_not_become_the_city(extracted):
    x = extracted("Fighters overran Qalat on Thursday. Officials left for Kabul in a convoy. "
                  "The fighting in the city on Wednesday night killed six people.")
    (clash,) = events_of(x, "ArmedClash")
    assert clash.places == ("city/qalat",)


def test_extraction_link_to_another_story_is_not_an_event(extracted):
    x = extracted("Fighters overran Qalat on Thursday.\nRead also: Taliban execute soldiers in Herat\nShops reopened.")
    assert [e.type for e in x.events] == ["CaptureOfTerritory"]


def test_extraction_place_described_in_the_lede_and_named_later(extracted):
    x = extracted("On Friday the Taliban captured another provincial capital in the south.\n\n"
                  "Residents said fighters had seized Qalat and raised their flag.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.places == ("city/qalat",) and capture.time.date == "2021-08-06"
    assert len(capture.mentions) == 2
    dated = extracted("On Friday the Taliban captured another provincial capital in the south.\n\n"
                      "Qalat had been seized on Wednesday.")
    assert [e.time.date for e in events_of(dated, "CaptureOfTerritory")] == ["2021-08-04"]


def offices(extraction, name):
    (actor,) = [a for a in extraction.actors if a.name == name]
    return {(p.title, p.place_key) for p in actor.positions}


@pytest.mark.parametrize(
    "text, name, office",
    [
        ("Police said Rahim Jan was also a Zabul provincial prosecutor.", "Rahim Jan", ("provincial prosecutor", "province/zabul")),
        ("Karim Shah from Zabul was another provincial lawmaker.", "Karim Shah", ("provincial lawmaker", "province/zabul")),
        ("Nasir Ahmad Popal, head of Zabul's education department, said schools had closed.", "Nasir Ahmad Popal",
         ("head of Zabul's education department", "province/zabul")),
        ("Gunmen shot dead Haji Wali Jan Noorzai, a tribal elder and member of the Zabul provincial council.",
         "Wali Jan Noorzai", ("member of the provincial council", "province/zabul")),
    ],
)
def test_extraction_offices_in_varied_phrasing(extracted, text, name, office):
    assert office in offices(extracted(text), name)


def test_extraction_name_at_a_sentence_start_keeps_its_surname(extracted):
    x = extracted("Gul Agha Wardak, the police chief of Zabul province, surrendered in Qalat on Friday.")
    assert offices(x, "Gul Agha Wardak") == {("police chief", "province/zabul")}
    assert all("province/wardak" not in e.places for e in x.events)


def test_extraction_companions_share_the_subjects_role(extracted):
    x = extracted("The police chief surrendered to the Taliban in Qalat together with 22 policemen.")
    (surrender,) = events_of(x, "Surrender")
    affected = [x.actor(p.actor) for p in surrender.participants if p.role == "AffectedRole"]
    assert [a.label for a in affected] == ["The police chief", "22 policemen"] and affected[1].size == 22


def test_extraction_unnamed_victim_is_the_person_named_later(extracted):
    x = extracted("Gunmen killed the head of the Zabul provincial council in Qalat on Friday.\n\n"
                  "Abdul Rauf Popal, a former judge, was shot dead outside his house after Friday prayers, police said.")
    (killing,) = events_of(x, "Assassination")
    (victim,) = [x.actor(p.actor) for p in killing.participants if p.role == "AffectedRole"]
    assert victim.name == "Abdul Rauf Popal" and killing.places == ("city/qalat",)
    assert any(p.title.startswith("head") for p in victim.positions)
    two = extracted("Gunmen killed the head of the Zabul provincial council in Qalat on Friday.\n\n"
                    "Abdul Rauf Popal, a former judge, was shot dead in Kandahar on Monday, police said.")
    assert len(events_of(two, "Assassination")) == 2


def test_extraction_own_act_claimed_is_dated_by_the_claim(extracted):
    x = extracted("The Taliban on Wednesday claimed to have seized the town of Qalat.")
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [(("city/qalat",), "2021-08-04")]
    reported = extracted("The Taliban said on Wednesday that fighters had seized the town of Qalat.")
    assert [e.time for e in events_of(reported, "CaptureOfTerritory")] == [None]


def test_extraction_laying_siege_to_a_city_makes_it_the_city(extracted):
    x = extracted("Fighting went on in Farah. Fighters have also laid siege to Qalat, the capital of Zabul province. "
                  "Residents said the city had been cut off since Tuesday morning.")
    assert {e.places for e in events_of(x, "Siege")} == {("city/qalat",)}


def test_extraction_withdrawal_to_a_base_outside_the_city(extracted):
    x = extracted("Fighters overran Qalat in Zabul province. He said officials had retreated to the airport outside the city.")
    assert [e.places for e in events_of(x, "Withdrawal")] == [("city/qalat",)]


def test_extraction_arrest_happens_where_the_passage_is(extracted):
    x = extracted("In Qalat, gunmen shot dead a tribal elder on Monday. Police said they had arrested two suspects.")
    assert [e.places for e in events_of(x, "Arrest")] == [("city/qalat",)]


def test_extraction_killing_of_several_is_no_assassination(extracted):
    several = extracted("In Qalat, gunmen on Saturday shot dead a village elder and two of his sons.")
    one = extracted("In Qalat, gunmen on Saturday shot dead a village elder.")
    assert [e.type for e in several.events] == ["Killing"]
    assert [e.type for e in one.events] == ["Assassination"]


def test_extraction_coordinated_subjects_share_the_role(extracted):
    x = extracted("Officials in Qalat said dozens of soldiers and policemen had joined the movement.")
    (defection,) = events_of(x, "Defection")
    labels = sorted(x.actor(p.actor).label for p in defection.participants if p.role == "AffectedRole")
    assert labels == ["dozens of soldiers", "policemen"]


def test_extraction_the_area_is_the_place_named_last(extracted):
    x = extracted("The Taliban attacked Qalat on Monday. There is still heavy fighting in the area.")
    assert [e.places for e in events_of(x, "ArmedClash")] == [("city/qalat",)]
    nothing = extracted("There is still heavy fighting in the area.")
    assert events_of(nothing, "ArmedClash") == []


def test_extraction_unnamed_places_keep_a_named_one_out(extracted):
    x = extracted("Hundreds of people have been displaced by fighting in northern provinces and are now in Kabul.")
    assert events_of(x, "ArmedClash") == []
    y = extracted("Fighters overran Qalat on Monday. Jets launched attacks on Taliban targets in several regional "
                  "capitals, and many civilians were killed.")
    assert all(e.places == () for e in y.events if e.type in ("Attack", "Airstrike"))


def test_extraction_facing_off_is_a_clash_in_each_city(extracted):
    x = extracted("The army continued to face off against the Taliban in Qalat and Lashkar Gah.")
    assert sorted(e.places for e in events_of(x, "ArmedClash")) == [("city/lashkar-gah",), ("city/qalat",)]


def test_extraction_office_owned_by_an_organisation_and_where_its_holder_was(extracted):
    x = extracted("Gunmen assassinated the Taliban's media chief in Qalat on Friday.")
    (killing,) = events_of(x, "Assassination")
    (victim,) = [x.actor(p.actor) for p in killing.participants if p.role == "AffectedRole"]
    assert [(p.title, p.organisation_key) for p in victim.positions] == [("media chief", "actor/taliban")]
    assert killing.places == ("city/qalat",)


def test_extraction_capture_of_most_of_a_city(extracted):
    x = extracted("The Taliban took most of Qalat on Monday.")
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [(("city/qalat",), "2021-08-09")]
    assert events_of(extracted("The Taliban took most of the day to regroup."), "CaptureOfTerritory") == []


def test_extraction_bombing_with_no_one_named_is_an_attack_where_it_hit(extracted):
    x = extracted("A girl was hurt in the bomb attack on her home in northern Zabul.")
    assert [e.places for e in events_of(x, "Attack")] == [("province/zabul",)]
    assert events_of(extracted("A bomb attack was feared."), "Attack") == []


def test_extraction_the_governor_is_the_governor_named_before(extracted):
    x = extracted("Abdul Wahid Zaki, the governor of Zabul province, gave himself up on Thursday. "
                  "Later the governor was arrested in Kandahar. The deputy governor fled.")
    (arrest,) = events_of(x, "Arrest")
    assert [x.actor(p.actor).name for p in arrest.participants if p.role == "AffectedRole"] == ["Abdul Wahid Zaki"]
    (flight,) = events_of(x, "Withdrawal")
    assert [x.actor(p.actor).name for p in flight.participants] == [None]


def test_extraction_casualty_report_stays_evidence_with_its_source(extracted):
    x = extracted("Heavy fighting broke out in Qalat on Monday. At least 10 soldiers were killed, said a doctor at the hospital.")
    (clash,) = events_of(x, "ArmedClash")
    assert dict(clash.counts)["killed"] == 10
    assert len(clash.mentions) == 2 and x.actor(clash.mentions[1].according_to).label == "a doctor"


def test_extraction_event_named_in_a_phrase_is_not_dated_by_the_clause(extracted):
    x = extracted("The Taliban launched an offensive in early May with the withdrawal of foreign forces.")
    assert [e.time for e in events_of(x, "Withdrawal")] == [None]
    dated = extracted("Foreign forces began their withdrawal in early May.")
    assert [e.time.date for e in events_of(dated, "Withdrawal")] == ["2021-05-01"]


def test_extraction_companions_listed_with_and(extracted):
    x = extracted("In Qalat, Ismail Karimi, the former governor, surrendered to the Taliban together with the "
                  "provincial governor and several senior security officials.")
    (surrender,) = events_of(x, "Surrender")
    affected = [x.actor(p.actor).label for p in surrender.participants if p.role == "AffectedRole"]
    assert affected == ["Ismail Karimi", "the provincial governor", "several senior security officials"]


def test_extraction_organisation_before_a_title_owns_the_office(extracted):
    x = extracted("A Taliban spokesman denied that the group had captured Qalat.")
    (spokesman,) = [a for a in x.actors if a.cls == "Person"]
    assert spokesman.label == "A Taliban spokesman"
    assert [(p.title, p.organisation_key) for p in spokesman.positions] == [("spokesman", "actor/taliban")]


def test_extraction_approximators_are_whole_phrases(extracted):
    x = extracted("Up to 300 soldiers surrendered in Qalat on Friday, according to a police officer.")
    labels = {a.label: a.size for a in x.actors if a.cls in ("Person", "Group")}
    assert labels == {"Up to 300 soldiers": 300, "a police officer": None}
    (surrender,) = events_of(x, "Surrender")
    assert x.actor(surrender.according_to).label == "a police officer"


def test_extraction_held_by_the_government_is_no_capture(extracted):
    held = extracted('"The city of Qalat is in the hands of the government," the governor said.')
    assert events_of(held, "CaptureOfTerritory") == []
    kept = extracted("Qalat remained under the control of government forces on Friday.")
    assert events_of(kept, "CaptureOfTerritory") == []
    taken = extracted("Qalat is now under Taliban control.")
    assert [participant(taken, e, "AgentRole") for e in events_of(taken, "CaptureOfTerritory")] == ["Taliban"]


def test_extraction_denial_stops_at_a_contrast(extracted):
    x = extracted("The governor denied that Qalat had fallen, even as soldiers at a base near the city laid down their weapons.")
    assert [e.type for e in x.events] == ["Surrender"]
    assert [e.type for e in x.denied] == ["CaptureOfTerritory"]


def test_extraction_sentence_opening_with_in_place_sets_its_scene(extracted):
    x = extracted("In Zabul's Shinkay district, a militia commander, Abdul Wali Noorzai, joined the Taliban on Saturday.")
    assert [e.places for e in events_of(x, "Defection")] == [("district/zabul/shinkay",)]
    inner = extracted("In Zabul province, the Taliban took over Qalat on Saturday after the governor surrendered.")
    assert [e.places for e in events_of(inner, "Surrender")] == [("city/qalat",)]


def test_extraction_also_names_the_unnamed_person_told_before(extracted):
    x = extracted("Unknown gunmen shot dead a doctor in Jalalabad on Sunday. Police spokesman Farid Khan "
                  "confirmed the attack. According to him, Ahmad Karimi was also a Nangarhar provincial prosecutor.")
    (killing,) = events_of(x, "Assassination")
    assert participant(x, killing, "AffectedRole") == "Ahmad Karimi"
    assert {title for title, _ in offices(x, "Ahmad Karimi")} == {"doctor", "provincial prosecutor"}
    # without "also", or with two unnamed people it could be, the name stays apart
    plain = extracted("Unknown gunmen shot dead a doctor in Jalalabad on Sunday. Ahmad Karimi was a Nangarhar provincial prosecutor.")
    assert participant(plain, events_of(plain, "Assassination")[0], "AffectedRole") != "Ahmad Karimi"
    two = extracted("Unknown gunmen shot dead a doctor and a teacher in Jalalabad on Sunday. "
                    "Ahmad Karimi was also a Nangarhar provincial prosecutor.")
    assert offices(two, "Ahmad Karimi") == {("provincial prosecutor", "province/nangarhar")}


def test_extraction_name_listed_after_a_plural_place_noun_takes_its_kind(extracted):
    x = extracted("At least 30 civilians were killed in several provinces last week, including 12 in Kandahar and four in Herat.")
    killings = events_of(x, "Killing")
    parts = {(e.places, e.counts) for e in killings if e.places}
    assert parts == {(("province/kandahar",), (("killed", 12),)), (("province/herat",), (("killed", 4),))}
    (whole,) = [e for e in killings if not e.places]
    assert whole.counts == (("killed", 30),)
    cities = extracted("Fighting raged on Monday in several cities, such as Kandahar.")
    assert [m.place_key for m in cities.place_mentions] == ["city/kandahar"]


def test_extraction_a_listed_part_is_not_the_whole_count(extracted):
    x = extracted("Dozens of people were killed in Ghazni on Monday, including three women.")
    (killing,) = events_of(x, "Killing")
    assert killing.counts == ()


def test_extraction_a_compass_reference_point_is_not_the_place(extracted):
    x = extracted("Located 200 km north of Kabul, Charikar, overrun by the insurgents, is a key town.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/charikar",)]


def test_extraction_reduced_relative_with_an_adverb_is_passive(extracted):
    x = extracted("Ghazni, seized twice by the insurgents, is a key city on the highway.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.places == ("city/ghazni",) and participant(x, capture, "AgentRole") == "Taliban"


def test_extraction_doing_the_same_repeats_the_event_before(extracted):
    x = extracted("In Zabul province, the police chief surrendered to the Taliban on Monday. "
                  "About 40 policemen did the same, officials said.")
    surrenders = events_of(x, "Surrender")
    assert [participant(x, e, "AffectedRole") for e in surrenders] == ["the police chief", "About 40 policemen"]
    assert all(e.places == ("province/zabul",) for e in surrenders)
    assert surrenders[1].time is None  # the day is not said to be the same
    refused = extracted("In Zabul province, the police chief surrendered to the Taliban on Monday. "
                        "The local militias did not do the same.")
    assert len(events_of(refused, "Surrender")) == 1


def test_extraction_placeless_mentions_in_consecutive_sentences_are_one_event(extracted):
    x = extracted("The United States has stepped up its air strikes.\n\n"
                  "\"US forces have carried out several airstrikes in recent days,\" a spokesman said.")
    assert len(events_of(x, "Airstrike")) == 1
    apart = extracted("The United States has stepped up its air strikes. The Taliban captured Ghazni on Monday. "
                      "Officials in Herat spoke of the fighting. US forces have carried out several airstrikes.")
    assert len(events_of(apart, "Airstrike")) == 2


def test_extraction_a_peoples_name_places_their_displacement(extracted):
    x = extracted("The fighting has forced some 5,000 Afghans to flee their homes since June, the UN said.")
    (displacement,) = events_of(x, "Displacement")
    assert displacement.places == ("country/afghanistan",)
    assert displacement.counts == (("displaced", 5000),)


def test_extraction_a_request_accepted_is_a_fact(extracted):
    accepted = extracted("In Ghazni on Monday, elders asked the governor to withdraw his forces from the city, "
                         "which he accepted.")
    (withdrawal,) = events_of(accepted, "Withdrawal")
    assert withdrawal.places == ("city/ghazni",) and participant(accepted, withdrawal, "AgentRole") == "the governor"
    asked = extracted("In Ghazni on Monday, elders asked the governor to withdraw his forces from the city.")
    assert events_of(asked, "Withdrawal") == []


def test_extraction_control_given_is_a_capture(extracted):
    x = extracted("The retreat from Farah gave the Taliban control of the entire province on Sunday.")
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("province/farah",)]
    denied = extracted("The deal did not give the Taliban control of Herat.")
    assert events_of(denied, "CaptureOfTerritory") == []


def test_extraction_forces_leaving_shortly_after_leave_that_place_that_day(extracted):
    x = extracted("On Saturday night, the Taliban captured Kunduz. Government security troops left shortly after.")
    (withdrawal,) = events_of(x, "Withdrawal")
    assert withdrawal.places == ("city/kunduz",) and withdrawal.time.date == "2021-08-07"
    assert participant(x, withdrawal, "AgentRole") == "Afghan National Defense and Security Forces"


# --- read from the dependency parse ----------------------------------------------------------------------

def test_parse_denial_scopes_over_the_reported_clause(extracted):
    x = extracted("Officials rejected reports that the governor of Ghazni had surrendered to the Taliban.")
    assert not events_of(x, "Surrender")
    assert [e.type for e in x.denied] == ["Surrender"]
    nothing = extracted("There was no truth to reports that the city of Kunduz had fallen, a spokesman said.")
    assert not events_of(nothing, "CaptureOfTerritory") and [e.type for e in nothing.denied] == ["CaptureOfTerritory"]


@pytest.mark.parametrize("text", [
    "Kabul could fall within days, officials warned.",
    "The Taliban threatened to storm the city of Herat.",
    "Elders urged the governor of Ghazni to surrender.",
])
def test_parse_hypotheticals_and_wishes_are_not_events(extracted, text):
    assert not [e for e in extracted(text).events if e.type != "Statement"]


def test_parse_capitals_listed_after_a_counted_phrase(extracted):
    x = extracted("The Taliban took three more provincial capitals, Kunduz in the north and Zaranj in the west, on Friday.")
    captures = events_of(x, "CaptureOfTerritory")
    assert {e.places for e in captures} == {("city/kunduz",), ("city/zaranj",)}
    assert {e.time.date for e in captures} == {"2021-08-06"}


def test_parse_light_verb_of_control_is_a_capture(extracted):
    x = extracted("The town of Ghazni passed into insurgent control late on Thursday.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.places == ("city/ghazni",) and capture.time.date == "2021-08-05"


def test_parse_locative_of_another_happening_is_not_a_capture(extracted):
    x = extracted("Heavy fighting is taking place near Herat, officials said.")
    assert not events_of(x, "CaptureOfTerritory")


def test_dateline_place_and_date_are_not_the_events(extracted):
    x = extracted("KABUL, Afghanistan (Aug. 8, 2021) - Taliban fighters overran Qalat yesterday.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.places == ("city/qalat",) and capture.time.date == "2021-08-08"


def test_unicode_line_separators_end_sentences(extracted):
    x = extracted("Release 2021-08-S-001\u2028KABUL, Afghanistan (Aug. 8, 2021)\u2028Forces detained two suspects in Khost province yesterday.")
    (arrest,) = events_of(x, "Arrest")
    assert arrest.places == ("province/khost",) and arrest.time.date == "2021-08-08"


def test_undated_event_told_as_done_is_bounded_by_publication(extracted):
    x = extracted("Insurgents capture city of Farah\nFighters are advancing on Herat.")
    (capture,) = events_of(x, "CaptureOfTerritory")
    assert capture.time is None and capture.on_or_before == "2021-08-09"
    past = extracted("The Taliban captured Taloqan, residents said.")
    assert events_of(past, "CaptureOfTerritory")[0].on_or_before == "2021-08-09"
    unpublished = extracted("The Taliban captured Taloqan, residents said.", published=None)
    assert events_of(unpublished, "CaptureOfTerritory")[0].on_or_before is None


def test_occasion_told_before_dates_a_later_event(extracted):
    x = extracted("Afghan forces detained a Taliban leader in Khost province yesterday. "
                  "The force also killed two insurgents during the operation.")
    assert [e.time.date for e in events_of(x, "Killing")] == ["2021-08-08"]
    other = extracted("Afghan forces detained a Taliban leader in Khost province yesterday. "
                      "Two insurgents were killed in Paktia province.")
    assert [e.time.date if e.time else None for e in events_of(other, "Killing")] == [None]


def test_extraction_a_claim_denied_by_a_later_sentence_is_no_fact(extracted):
    # the denial refers back to the report without repeating it
    x = extracted("Unconfirmed posts on social media say Kishim district has fallen. We are checking.\n\n"
                  "The district governor tells us the reports are false.", published=dt.date(2021, 7, 5))
    assert events_of(x, "CaptureOfTerritory") == []
    assert [(d.type, d.places) for d in x.denied] == [("CaptureOfTerritory", ("district/badakhshan/kishim",))]
    # a correction that denies the same act of the same person
    y = extracted("The governor of Faryab, Mohammad Dawood Nasiri, fled. Some reports say Governor Nasiri "
                  "surrendered to the Taliban in Maymana. His office says Governor Nasiri did not surrender.",
                  published=dt.date(2021, 8, 14))
    assert events_of(y, "Surrender") == [] and "Surrender" in {d.type for d in y.denied}
    # what the article asserts in its own voice stays, whoever denies it later
    z = extracted("The Taliban captured Kishim district on Sunday. The district governor says the reports are false.",
                  published=dt.date(2021, 7, 5))
    assert [e.places for e in events_of(z, "CaptureOfTerritory")] == [("district/badakhshan/kishim",)]


def test_extraction_a_denial_of_reports_whatever_the_word_order(extracted):
    headline = extracted("Taliban officials reject reports that fighters executed 20 civilians in Rukha district, "
                         "calling them propaganda.", published=dt.date(2021, 9, 10))
    assert events_of(headline) == [] and [d.type for d in headline.denied] == ["Killing"]
    verb_last = extracted("The police spokesman the news that Maymana airport has fallen to the Taliban rejected.",
                          published=dt.date(2021, 6, 22))
    assert events_of(verb_last, "CaptureOfTerritory") == []


def test_extraction_a_dateline_inside_a_line_is_not_the_event_place(extracted):
    x = extracted("2011-11-S-039 For Immediate Release KABUL, Afghanistan (Nov. 23, 2011) A Haqqani network leader "
                  "was captured by Afghan forces during an operation in Zarghun Shahr district, Paktika province, "
                  "yesterday.", published=dt.date(2011, 11, 23))
    (arrest,) = events_of(x, "Arrest")
    assert arrest.places == ("district/paktika/zarghun-shahr",) and arrest.time.date == "2011-11-22"
    assert events_of(x, "CaptureOfTerritory") == []


def test_extraction_verbs_sharing_a_subject_share_the_phrases_after_the_last(extracted):
    x = extracted("A combined security patrol killed an insurgent leader and detained several other insurgents during "
                  "an operation in Bala Buluk district, Farah province, Sunday.", published=dt.date(2011, 9, 19))
    killed = [e for e in events_of(x) if e.type in ("Killing", "Assassination")]
    assert [(e.places, e.time.date) for e in killed] == [(("district/farah/bala-buluk",), "2011-09-18")]
    assert [(e.places, e.time.date) for e in events_of(x, "Arrest")] == [(("district/farah/bala-buluk",), "2011-09-18")]


@pytest.mark.parametrize(
    "text, date",
    [
        ("The Taliban seized Ghazni this afternoon.", "2021-08-13"),
        ("The Taliban seized Ghazni yesterday evening.", "2021-08-12"),
        ("Three days ago the Taliban seized Ghazni.", "2021-08-10"),
        ("The Taliban seized Kunduz on Sunday. Two days later they seized Ghazni.", "2021-08-10"),
    ],
)
def test_extraction_relative_and_counted_days(extracted, text, date):
    x = extracted(text, published=dt.date(2021, 8, 13))
    (ghazni,) = [e for e in events_of(x, "CaptureOfTerritory") if e.places == ("city/ghazni",)]
    assert ghazni.time.date == date


def test_extraction_a_time_the_parser_hangs_on_a_phrase_still_dates_the_clause(extracted):
    # the parser attaches "this afternoon" to the city's name; "without a fight" is no event of its own
    x = extracted("Fighting in the south.\n\nThe Taliban took full control of Lashkar Gah this afternoon. "
                  "The Taliban took the city of Ghazni without a fight early Friday.", published=dt.date(2021, 8, 13))
    dates = {e.places: e.time.date if e.time else None for e in events_of(x, "CaptureOfTerritory")}
    assert dates == {("city/lashkar-gah",): "2021-08-13", ("city/ghazni",): "2021-08-13"}
    # but a noun inside another verb's phrase does not take that verb's time
    y = extracted("The Taliban launched an offensive in May with the withdrawal of foreign forces.",
                  published=dt.date(2021, 8, 13))
    assert all(e.time is None for e in events_of(y, "Withdrawal"))


def test_extraction_an_office_of_a_district_named_by_its_name_alone(extracted):
    x = extracted("Fighting in Takhar.\n\nThe district governor of Chal handed over the district compound to the "
                  "Taliban on Sunday morning.", published=dt.date(2021, 6, 21))
    (surrender,) = events_of(x, "Surrender")
    assert surrender.places == ("district/takhar/chal",) and surrender.time.date == "2021-06-20"
    assert x.actor(surrender.participants[0].actor).label == "The district governor of Chal"


def test_extraction_a_surrender_told_in_a_relative_clause_is_where_the_office_is(extracted):
    x = extracted("Heavy fighting continued.\n\nThe police chief of Nad Ali district, Abdul Rahman Khan, who "
                  "surrendered to the Taliban on Sunday along with 30 policemen, spoke to reporters.",
                  published=dt.date(2021, 8, 3))
    (surrender,) = events_of(x, "Surrender")
    assert surrender.places == ("district/helmand/nad-ali",) and surrender.time.date == "2021-08-01"
    assert participant(x, surrender, "AffectedRole") == "Abdul Rahman Khan"


def test_extraction_a_capital_named_before_its_apposition_is_the_one_taken(extracted):
    # the parser makes "the capital of Logar province" the subject and leaves the name dangling
    x = extracted("Heavy fighting continued.\n\nPul-i-Alam, the capital of Logar province, was taken by the "
                  "Taliban on Friday.", published=dt.date(2021, 8, 15))
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [(("city/pul-i-alam",), "2021-08-13")]


def test_extraction_every_item_of_a_list_of_districts(extracted):
    x = extracted("Taliban fighters took control of Kishim, Tashkan and Yaftal Sufla districts in Badakhshan "
                  "province over the weekend.", published=dt.date(2021, 7, 5))
    assert sorted(e.places[0] for e in events_of(x, "CaptureOfTerritory")) == [
        "district/badakhshan/kishim", "district/badakhshan/tashkan", "district/badakhshan/yaftal-sufla"]
    # Muqur is a district of Badghis and of Ghazni: the one beside Qadis (Badghis) is meant
    y = extracted("The Taliban captured the districts of Qadis and Muqur last week.", published=dt.date(2021, 7, 5))
    assert sorted(e.places[0] for e in events_of(y, "CaptureOfTerritory")) == [
        "district/badghis/muqur", "district/badghis/qadis"]


def test_extraction_reports_whose_predicate_denies_them(extracted):
    x = extracted("Heavy fighting in Kandahar.\n\nPosts on social media saying that Arghandab district has been "
                  "captured by the Taliban are completely false, the ministry said.", published=dt.date(2021, 7, 28))
    assert events_of(x, "CaptureOfTerritory") == [] and [d.type for d in x.denied] == ["CaptureOfTerritory"]


def test_extraction_casualties_of_an_attack_the_parse_found_are_its_counts(extracted):
    x = extracted("Heavy fighting in the north.\n\nA suicide car bomber struck an army checkpoint in Dihdadi district "
                  "late on Sunday, killing five soldiers and wounding eight.", published=dt.date(2021, 8, 9))
    (attack,) = events_of(x)
    assert (attack.type, attack.places, dict(attack.counts).get("killed")) == ("Attack", ("district/balkh/dihdadi",), 5)


def test_extraction_a_repelled_attack_is_the_attack(extracted):
    x = extracted("Heavy fighting in the west.\n\nPolice repelled a Taliban assault on the district centre of Qaysar.",
                  published=dt.date(2021, 7, 28))
    assert [(e.type, e.places) for e in events_of(x)] == [("Attack", ("district/faryab/qaysar",))]
    assert participant(x, events_of(x)[0], "AgentRole") == "Taliban"


def test_extraction_fighting_told_as_a_backdrop_is_no_event_of_its_own(extracted):
    x = extracted("Heavy fighting in Logar.\n\nThousands of people who fled the fighting in Logar have arrived in Kabul. "
                  "More than 30,000 people have left Kunduz city since the fighting began.", published=dt.date(2021, 8, 14))
    assert "ArmedClash" not in {e.type for e in events_of(x)[1:]}
    assert {e.places for e in events_of(x, "Displacement")} == {("province/logar",), ("city/kunduz",)}
    # fighting with a day of its own is told, whatever preposition brings it
    y = extracted("Commandos still hold the city centre of Lashkar Gah after heavy fighting on Wednesday.",
                  published=dt.date(2021, 8, 12))
    assert [e.type for e in events_of(y)] == ["ArmedClash"]


def test_extraction_the_speaker_is_the_person_whose_office_names_a_body(extracted):
    x = extracted("A senior official at the Interior Ministry told us that police left their posts in Kabul city "
                  "this afternoon.", published=dt.date(2021, 8, 15))
    (withdrawal,) = events_of(x, "Withdrawal")
    assert x.actor(withdrawal.according_to).label == "A senior official at the Interior Ministry"


def test_extraction_a_district_spelt_otherwise_than_in_the_gazetteer(extracted):
    x = extracted("Police arrested a bomb maker in Nahr-e Saraj district of Helmand province on Sunday. Coalition "
                  "forces detained two insurgents in Bala Boluk district, Farah province, on Monday.",
                  published=dt.date(2011, 7, 26))
    assert sorted(e.places[0] for e in events_of(x, "Arrest")) == ["district/farah/bala-buluk", "district/helmand/nahri-sarraj"]


def test_extraction_casualties_of_named_violence_are_that_violence(extracted):
    x = extracted("Security incidents.\n\nMortar fire on Sunday killed five civilians in Kunduz city.",
                  published=dt.date(2021, 7, 27))
    assert [(e.type, e.places, dict(e.counts)) for e in events_of(x)] == [("Attack", ("city/kunduz",), {"killed": 5})]
    # a cause that is an event of its own already takes the dead as its count
    y = extracted("Security incidents.\n\nHe said air force strikes had killed 27 Taliban fighters in Kunduz city on "
                  "Sunday night.", published=dt.date(2021, 7, 27))
    assert [(e.type, dict(e.counts)) for e in events_of(y)] == [("Airstrike", {"killed": 27})]


def test_extraction_a_killing_is_where_the_clause_at_its_time_says(extracted):
    x = extracted("Security incidents.\n\nOn Wednesday, gunmen shot dead Ahmad Jawid Nazari, a prosecutor, as he left "
                  "his home in western Kabul.", published=dt.date(2021, 6, 26))
    killings = [e for e in events_of(x) if e.type in ("Killing", "Assassination")]
    assert [(e.places, e.time.date) for e in killings] == [(("city/kabul",), "2021-06-23")]


def test_extraction_abbreviated_months_and_detained_insurgents(extracted):
    x = extracted("ISAF confirmed that coalition forces detained three suspected insurgents during an operation in "
                  "Garmab district, Helmand province, Feb. 6.", published=dt.date(2011, 2, 8))
    (arrest,) = events_of(x, "Arrest")
    assert (arrest.places, arrest.time.date) == (("province/helmand",), "2011-02-06")


def test_extraction_the_dead_named_one_by_one_are_counted(extracted):
    x = extracted("An Afghan-led security force killed the Taliban commander Fayez Jan and one additional insurgent "
                  "during an operation in Daman district, Kandahar province, today.", published=dt.date(2012, 6, 14))
    assert [dict(e.counts).get("killed") for e in events_of(x, "Killing")] == [2]
    # "several" is no number: no count is made up
    y = extracted("Coalition forces killed several insurgents in Kajaki district, Helmand province, today.",
                  published=dt.date(2011, 3, 12))
    assert [dict(e.counts) for e in events_of(y, "Killing")] == [{}]


@pytest.mark.parametrize(
    "text, name, title",
    [
        ("Gunmen shot dead the district's deputy police chief, Mohammad Isa Baryalai, in Gereshk.",
         "Mohammad Isa Baryalai", "deputy police chief"),
        ("Twelve civilians were killed, said the head of the provincial health department, Dr. Naseer Ahmad Sharifi.",
         None, "head of the provincial health department"),
        ("The commander of a border police battalion in Ghormach district, Abdul Jabbar Naseri, surrendered.",
         "Abdul Jabbar Naseri", "commander of the border police battalion"),
    ],
)
def test_extraction_offices_with_ranks_and_bodies(extracted, text, name, title):
    x = extracted(text, published=dt.date(2021, 8, 4))
    titles = {(a.name, p.title) for a in x.actors if a.cls == "Person" for p in a.positions}
    assert (name, title) in titles


def test_extraction_captures_told_in_relative_clauses_and_descriptions(extracted):
    x = extracted("In Sheberghan, which the Taliban took last Saturday, fighters searched homes.",
                  published=dt.date(2021, 8, 14))  # a Saturday: "last Saturday" is a week before
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [(("city/sheberghan",), "2021-08-07")]
    y = extracted("Ghazni, 150 km south-west of Kabul on the main highway to Kandahar, fell on Thursday morning.",
                  published=dt.date(2021, 8, 13))
    assert [e.places for e in events_of(y, "CaptureOfTerritory")] == [("city/ghazni",)]
    z = extracted("Hours later the insurgents swept into Sar-e Pol, capital of the province of the same name.",
                  published=dt.date(2021, 8, 9))
    assert [e.places for e in events_of(z, "CaptureOfTerritory")] == [("city/sar-e-pol",)]


def test_extraction_a_participle_describing_people_is_no_capture(extracted):
    x = extracted("The Taliban seized Pul-e Khumri on Wednesday. A Taliban spokesman denied reports that the group's "
                  "fighters had executed captured soldiers in Pul-e Khumri.", published=dt.date(2021, 8, 12))
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/pul-e-khumri",)]
    assert "CaptureOfTerritory" not in {d.type for d in x.denied}


def test_extraction_denials_passive_relative_and_by_name(extracted):
    passive = extracted("Fighting in Daykundi.\n\nReports on social media that the Taliban had captured the Khadir "
                        "district centre were rejected by the governor's office.", published=dt.date(2021, 6, 25))
    assert events_of(passive, "CaptureOfTerritory") == [] and [d.type for d in passive.denied] == ["CaptureOfTerritory"]
    relative = extracted("The Taliban claimed on Monday that their fighters had overrun the Charkh district centre, "
                         "which the governor's spokesman denied.", published=dt.date(2021, 6, 14))
    assert events_of(relative, "CaptureOfTerritory") == []
    ticker = extracted("12:15 — Taliban say they have taken Aybak; governor's spokesman denies, says forces in full "
                       "control", published=dt.date(2021, 8, 8))
    assert events_of(ticker, "CaptureOfTerritory") == []
    named = extracted("A Taliban spokesman said the group's fighters had captured the Dihrawud district centre. The "
                      "police spokesman denied the claim, saying forces had repelled several attacks.",
                      published=dt.date(2021, 7, 29))
    assert events_of(named, "CaptureOfTerritory") == []
    not_true = extracted("There are reports that the acting governor surrendered Zaranj to the Taliban. That is not "
                         "true.", published=dt.date(2021, 8, 10))
    assert events_of(not_true, "Surrender") == []


def test_extraction_an_occasion_told_with_its_day_dates_what_happened_during_it(extracted):
    x = extracted("Afghan and coalition forces conducted a security operation in Bermal district, Paktika province, "
                  "today. During the operation, the force detained two suspected insurgents.",
                  published=dt.date(2012, 7, 3))
    assert [e.time.date for e in events_of(x, "Arrest")] == ["2012-07-03"]


def test_extraction_a_chronology_entry_dates_its_line(extracted):
    x = extracted("Timeline.\n\n22 June – Taliban fighters take Qaysar district in Faryab province. Local officials say "
                  "the district police chief surrendered.\n\n8 August – The Taliban take three more provincial "
                  "capitals: Kunduz, Sar-e Pol and Taloqan.", published=dt.date(2021, 8, 16))
    dates = {e.places[0]: e.time.date for e in events_of(x, "CaptureOfTerritory")}
    assert dates == {"district/faryab/qaysar": "2021-06-22", "city/kunduz": "2021-08-08",
                     "city/sar-e-pol": "2021-08-08", "city/taloqan": "2021-08-08"}
    assert [e.time.date for e in events_of(x, "Surrender")] == ["2021-06-22"]


def test_extraction_the_place_after_named_districts_is_their_province(extracted):
    x = extracted("Fighting continued in the Panjwayi and Zhari districts of Kandahar on Sunday.",
                  published=dt.date(2021, 7, 27))
    assert sorted(p.place_key for p in x.place_mentions) == ["district/kandahar/panjwayi", "district/kandahar/zhari",
                                                        "province/kandahar"]


def test_extraction_a_question_tells_no_event(extracted):
    x = extracted("Did the police chief of Khost surrender to the Taliban? Fighters captured Gardez on Sunday.",
                  published=dt.date(2021, 8, 16))
    assert events_of(x, "Surrender") == []
    assert [e.places for e in events_of(x, "CaptureOfTerritory")] == [("city/gardez",)]


def test_extraction_a_negative_subject_denies(extracted):
    x = extracted('"Nobody has detained me," the former governor said. No one was killed in Mihtarlam, police said.',
                  published=dt.date(2021, 8, 16))
    assert events_of(x, "Arrest") == [] and events_of(x, "Killing") == []
    assert {e.type for e in x.denied} >= {"Arrest", "Killing"}


def test_extraction_a_transcript_turn_is_the_speakers_word(extracted):
    # the questioner's statement is a claim, and the answer's denial names the same town
    x = extracted("QUESTION (Radio Bakhtar): Four people were killed in Mihtarlam on Monday when your men fired on "
                  "protesters. What do you say?\nSPOKESMAN: That is wrong. Nobody was killed by our men in Mihtarlam.",
                  published=dt.date(2021, 8, 20))
    assert events_of(x, "Killing") == []


def test_extraction_a_denial_naming_no_place_is_of_the_latest_such_claim(extracted):
    x = extracted("Elders say Taliban fighters killed six civilians in Jaghori district last week. The Taliban have "
                  "denied that any such killings took place.", published=dt.date(2021, 7, 20))
    assert events_of(x, "Killing") == []


def test_extraction_a_verbless_headline_with_an_object_is_a_clause(extracted):
    # the parser hangs "handed" on the noun as a reduced relative; a passive participle takes no object
    x = extracted("Paktia governor and officials handed over Gardez to the Taliban on Sunday.",
                  published=dt.date(2021, 8, 16))
    assert [e.places for e in events_of(x, "Surrender")] == [("city/gardez",)]


def test_extraction_displaced_people_are_where_they_fled_from(extracted):
    x = extracted("In the past week about 4,000 people from Ishkamish district to Taloqan city have been displaced.",
                  published=dt.date(2021, 7, 10))
    assert [e.places for e in events_of(x, "Displacement")] == [("district/takhar/ishkamish",)]


def test_extraction_a_time_of_day_phrase_dates_its_clause(extracted):
    x = extracted("Mihtarlam passed into the hands of the Taliban shortly after midday today.",
                  published=dt.date(2021, 8, 15))
    assert [e.time.date for e in events_of(x, "CaptureOfTerritory")] == ["2021-08-15"]


def test_extraction_counts_skip_dates_and_take_the_counted_object(extracted):
    x = extracted("KABUL, 27 July 2021 - The ministry said on Monday that commandos had killed 31 insurgents and "
                  "wounded 12 others in Nad Ali district.", published=dt.date(2021, 7, 27))
    assert [dict(e.counts) for e in x.events if dict(e.counts).get("killed")] == [{"killed": 31, "injured": 12}]


def test_extraction_strikes_carried_out_by_an_air_force_are_airstrikes(extracted):
    x = extracted("On Tuesday the Afghan Air Force carried out strikes on insurgent positions in Zhari district, "
                  "killing 22 fighters.", published=dt.date(2021, 7, 30))
    assert [(e.places, dict(e.counts)) for e in events_of(x, "Airstrike")] == [(("district/kandahar/zhari",),
                                                                                {"killed": 22})]
    assert events_of(x, "Killing") == []


def test_extraction_a_month_with_its_year(extracted):
    x = extracted("In May 2019, his car was ambushed in Jaghatu district; two guards were killed.",
                  published=dt.date(2021, 8, 20))
    assert [e.time.date for e in x.events] == ["2019-05-01"]


def test_extraction_an_attack_placed_by_a_phrase_of_its_verb(extracted):
    x = extracted("A car bomber struck a police post on the outskirts of Kunduz late on Sunday, killing three "
                  "policemen.", published=dt.date(2021, 7, 20))
    assert [(e.places, e.time.date, dict(e.counts)) for e in events_of(x, "Attack")] == [
        (("city/kunduz",), "2021-07-18", {"killed": 3})]


def test_extraction_driving_the_enemy_out_of_a_place_takes_it(extracted):
    x = extracted("On Friday militias drove the Taliban out of Khinjan district, and on Saturday commandos pushed the "
                  "insurgents out of Nahrin district.", published=dt.date(2021, 8, 22))
    assert sorted((e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")) == [
        (("district/baghlan/khinjan",), "2021-08-20"), (("district/baghlan/nahrin",), "2021-08-21")]


def test_extraction_a_place_given_to_an_armed_group_is_captured(extracted):
    x = extracted("Nahrin district was given to the Taliban without a fight on Saturday.", published=dt.date(2021, 8, 22))
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [
        (("district/baghlan/nahrin",), "2021-08-21")]
    # with a giver named, it is the giver's surrender
    x = extracted("The district governor handed over Nahrin district to the Taliban on Saturday.",
                  published=dt.date(2021, 8, 22))
    assert [e.places for e in events_of(x, "Surrender")] == [("district/baghlan/nahrin",)]


def test_extraction_a_flag_raised_over_a_place(extracted):
    x = extracted("Taliban fighters raised their flag over the police headquarters in Nahrin district on Saturday.",
                  published=dt.date(2021, 8, 22))
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [
        (("district/baghlan/nahrin",), "2021-08-21")]


def test_extraction_a_pronoun_giving_a_place_up_surrenders_it(extracted):
    # the passive-only capture frame does not read the active verb: "he" gave the city up
    x = extracted("On Friday, as governor of Uruzgan, he handed the provincial capital to the Taliban.",
                  published=dt.date(2021, 8, 16))
    assert [e.places for e in events_of(x, "Surrender")] == [("city/tarinkot",)]
    assert events_of(x, "CaptureOfTerritory") == []
    # leaving is not a withdrawal for a pronoun nobody named
    x = extracted("Gunmen shot dead a prosecutor as he left his home in Kabul on Monday.", published=dt.date(2021, 8, 16))
    assert events_of(x, "Withdrawal") == []


def test_extraction_a_live_logs_clock_entries_are_of_its_day(extracted):
    x = extracted("Live: the battle for Kunduz\nSunday 8 August 2021, all times local\n\n"
                  "09:00 – Taliban fighters have entered Kunduz city from three sides.\n"
                  "09:40 – Provincial officials say the Taliban took Sar-e Pol city around nine o'clock.",
                  published=dt.date(2021, 8, 9))
    dates = {e.places[0]: e.time.date for e in events_of(x, "CaptureOfTerritory")}
    assert dates == {"city/sar-e-pol": "2021-08-08"}


def test_extraction_deixis_in_a_dated_entry_is_of_the_entrys_day(extracted):
    x = extracted("[12 Aug 2021, 16:40] Local reporter: This afternoon the governor of Logar was arrested by "
                  "security forces in Wardak province.", published=dt.date(2021, 8, 14))
    assert [e.time.date for e in events_of(x, "Arrest")] == ["2021-08-12"]


def test_extraction_a_speakers_label_is_split_from_what_the_speaker_says(extracted):
    x = extracted("[02 Sep 2021, 22:47] Mawlawi Zahed (Taliban spokesman): Tonight the mujahideen took full "
                  "control of Khinjan district.\n\n[02 Sep 2021, 23:30] Ahmad Wali (resistance spokesman): The claim "
                  "that Khinjan has fallen is a lie.", published=dt.date(2021, 9, 4))
    sentences = [s.text.strip() for s in x.events[0].mentions] if x.events else []
    assert events_of(x, "CaptureOfTerritory") == [], sentences
    assert [e.type for e in x.denied if e.type == "CaptureOfTerritory"]


def test_extraction_a_denial_with_a_negative_subject_and_no_place_of_its_own(extracted):
    x = extracted("[03 Sep 2021, 08:15] Ahmad Wali: Last night our forces ambushed a Taliban convoy in Paryan "
                  "district.\n\n[03 Sep 2021, 09:02] Mawlawi Zahed: No convoy of the mujahideen was ambushed "
                  "anywhere.", published=dt.date(2021, 9, 4))
    assert events_of(x, "Attack") == []


def test_extraction_a_repelled_attack_is_the_attack_alone(extracted):
    x = extracted("Taliban fighters attacked police posts on the outskirts of Farah city on Wednesday night, wounding "
                  "two policemen before they were pushed back.", published=dt.date(2021, 8, 13))
    assert [e.places for e in events_of(x, "Attack")] == [("city/farah",)]
    assert events_of(x, "ArmedClash") == []


def test_extraction_resistance_is_a_clash_only_when_someone_puts_it_up(extracted):
    named = extracted("The National Resistance Front said its fighters held positions in Paryan district on Sunday.",
                      published=dt.date(2021, 9, 6))
    assert events_of(named, "ArmedClash") == []
    put_up = extracted("Kunduz fell on Sunday after a week's resistance by government forces in Kunduz city.",
                       published=dt.date(2021, 8, 9))
    assert [e.places for e in events_of(put_up, "ArmedClash")] == [("city/kunduz",)]


def test_extraction_a_district_of_a_province_is_the_place(extracted):
    x = extracted("Today in Khinjan district of Baghlan, 20 militiamen surrendered to the Taliban.",
                  published=dt.date(2021, 9, 3))
    assert [e.places[0] for e in events_of(x, "Surrender")] == ["district/baghlan/khinjan"]


def test_extraction_a_district_the_gazetteer_lacks_is_placed_in_the_province_listed_with_it(extracted):
    # a verbless parse ("force [that] detained ...") is repaired into a clause first
    x = extracted("A coalition security force detained two suspected insurgents during an operation in Zarkhoon "
                  "district, Helmand province, yesterday.", published=dt.date(2011, 11, 20))
    assert [(e.places, e.time.date) for e in events_of(x, "Arrest")] == [(("province/helmand",), "2011-11-19")]


def test_extraction_an_occasion_told_by_its_verb_dates_what_happened_during_it(extracted):
    x = extracted("In Kandahar last night, a joint security force searched a compound in Arghandab district. During "
                  "the search the security force detained several suspected insurgents.", published=dt.date(2010, 5, 15))
    assert [e.time.date for e in events_of(x, "Arrest")] == ["2010-05-14"]


def test_extraction_a_translation_in_verb_final_order(extracted):
    x = extracted("The Taliban last night Khinjan and Nahrin districts without fight have taken.",
                  published=dt.date(2021, 7, 5))
    assert sorted(e.places[0] for e in events_of(x, "CaptureOfTerritory")) == ["district/baghlan/khinjan",
                                                                                  "district/baghlan/nahrin"]


def test_extraction_the_displaced_arriving_from_a_place(extracted):
    x = extracted("About 800 families have arrived in Maymana city from Almar district since 5 July.",
                  published=dt.date(2021, 7, 10))
    assert [(e.places, e.time.date, dict(e.counts)) for e in events_of(x, "Displacement")] == [
        (("district/faryab/almar",), "2021-07-05", {"displaced": 800})]
    # forces arriving are no displacement
    x = extracted("Commandos arrived in Maymana city from Almar district on Monday.", published=dt.date(2021, 7, 10))
    assert events_of(x, "Displacement") == []


def test_extraction_the_rank_and_file_hold_no_office(extracted):
    x = extracted("34 fighters and the district police chief surrendered to the Taliban in Khinjan district on Friday.",
                  published=dt.date(2021, 9, 4))
    titles = sorted(p.title for a in x.actors for p in a.positions)
    assert titles == ["district police chief"]


def test_extraction_a_title_owned_by_a_body_no_list_knows(extracted):
    for text in ("Ahmad Wali, the National Resistance Front spokesman, said the claim was a lie.",
                 "Ahmad Wali (resistance spokesman): The claim is a lie."):
        x = extracted(text, published=dt.date(2021, 9, 4))
        assert [(a.name, [p.title for p in a.positions]) for a in x.actors if a.cls == "Person"] == [
            ("Ahmad Wali", ["spokesman"])], text
    # "of Takhar governor" names whose spokesman he is, not a governor
    x = extracted("Farid Nazari, the spokesman of Takhar governor, said forces withdrew.", published=dt.date(2021, 7, 5))
    assert [[p.title for p in a.positions] for a in x.actors if a.cls == "Person"] == [["spokesman of the governor"]]


def test_extraction_a_claim_repeated_inside_its_denial_is_denied(extracted):
    x = extracted("[12 Aug 2021, 18:05] Local reporter: Unconfirmed reports say two surrendered soldiers were shot "
                  "dead at the Ghazni prison.\n\n[12 Aug 2021, 18:50] Mawlawi Zahed: The report that the mujahideen "
                  "killed surrendered soldiers in Ghazni is completely false.", published=dt.date(2021, 8, 13))
    assert events_of(x, "Killing") == []


def test_extraction_the_spokesman_for_the_governor_is_no_governor(extracted):
    x = extracted("The spokesman for the Laghman governor, Asadullah Sarwari, said six attackers were killed.",
                  published=dt.date(2021, 6, 9))
    assert [(a.name, [p.title for p in a.positions]) for a in x.actors if a.cls == "Person"] == [
        ("Asadullah Sarwari", ["spokesman for the governor"])]
    x = extracted("Menapal, a former spokesman for President Ashraf Ghani, was shot dead in Kabul on Friday.",
                  published=dt.date(2021, 8, 7))
    assert ("Ashraf Ghani", ["president"]) in [(a.name, [p.title for p in a.positions]) for a in x.actors]


def test_extraction_a_span_of_days_and_the_day_before_yesterday(extracted):
    x = extracted("Between 20 and 22 June, some 24,500 people fled their homes in Kunduz city.",
                  published=dt.date(2021, 6, 28))
    assert [e.time.date for e in events_of(x, "Displacement")] == ["2021-06-20"]
    x = extracted("Police say they arrested a man in Kunduz city the day before yesterday.", published=dt.date(2021, 5, 19))
    assert [e.time.date for e in events_of(x, "Arrest")] == ["2021-05-17"]


def test_extraction_denials_of_the_event_itself_and_of_taking_part(extracted):
    x = extracted("Ministry denies fall of Chora district", published=dt.date(2021, 7, 5))
    assert events_of(x, "CaptureOfTerritory") == [] and [e.type for e in x.denied] == ["CaptureOfTerritory"]
    x = extracted("This was a planned tactical move; claims that Chapa Dara district has been captured by the Taliban "
                  "are not true.", published=dt.date(2021, 8, 2))
    assert events_of(x, "CaptureOfTerritory") == []
    # a denial of involvement does not deny that the attack happened
    x = extracted("The Taliban denied involvement in the attack on a police post in Kunduz city on Sunday.",
                  published=dt.date(2021, 7, 5))
    assert [e.places for e in events_of(x, "Attack")] == [("city/kunduz",)]
    # ... and the denier is not who attacked
    assert [p for e in events_of(x, "Attack") for p in e.participants if p.role == "AgentRole"] == []


def test_extraction_a_denial_calling_it_a_claim_and_one_of_another_day(extracted):
    x = extracted("STATEMENT\n\nIn Jani Khel district, 42 soldiers of the Kabul administration surrendered to the "
                  "mujahideen with their weapons.\n\nThe provincial police spokesman rejected the claim that soldiers "
                  "had surrendered in Jani Khel.", published=dt.date(2021, 7, 1))
    assert events_of(x, "Surrender") == []
    x = extracted("27 June – The governor denies reports that Shinkay district has fallen.\n\n"
                  "2 July – Shinkay district falls.", published=dt.date(2021, 7, 10))
    assert [(e.places, e.time.date) for e in events_of(x, "CaptureOfTerritory")] == [
        (("district/zabul/shinkay",), "2021-07-02")]


def test_extraction_a_correction_of_a_place_inside_the_claims(extracted):
    x = extracted("ALERT 0730 | 20 JUL 0510 | WARDAK | Jalrez district\nUNCONFIRMED: Jalrez DC reportedly fell to AOG "
                  "approx 0300 hrs.\n\nALERT 0731 | 20 JUL 1130 | WARDAK\nCORRECTION to ALERT 0730: Wardak PHQ denies "
                  "DC has fallen.", published=dt.date(2021, 7, 21))
    assert events_of(x, "CaptureOfTerritory") == []
    # "without fighting" denies no fighting told elsewhere
    x = extracted("Heavy fighting raged in Sar-e Pol city for a week. In Jowzjan, militia commanders surrendered to the "
                  "Taliban without fighting.", published=dt.date(2021, 8, 10))
    assert [e.places for e in events_of(x, "ArmedClash")] == [("city/sar-e-pol",)]


def test_extraction_a_past_form_the_tagger_read_as_a_noun(extracted):
    x = extracted("Militias hold Dih Salah and Puli Hisar districts. A Taliban spokesman said the movement retook "
                  "Dih Salah and Puli Hisar on Monday.", published=dt.date(2021, 8, 25))
    assert sorted((e.places[0], e.time.date) for e in events_of(x, "CaptureOfTerritory")) == [
        ("district/baghlan/dih-salah", "2021-08-23"), ("district/baghlan/puli-hisar", "2021-08-23")]


def test_extraction_a_live_log_without_heading_is_of_its_publication_day(extracted):
    # a date in a paragraph before the log is another story's, not the log's heading
    x = extracted("The Taliban have been advancing on the city since they took Aybak on 6 August, officials "
                  "said in a briefing to reporters in Kabul on Saturday.\n\n09:40 – Provincial officials say the "
                  "Taliban took Sar-e Pol city around nine o'clock.", published=dt.date(2021, 8, 8))
    dates = {e.places[0]: e.time.date for e in events_of(x, "CaptureOfTerritory")}
    assert dates.get("city/sar-e-pol") == "2021-08-08"


def test_extraction_the_wounded_are_not_counted_among_the_dead(extracted):
    x = extracted("The Afghan Air Force said its airstrikes in Nad Ali district of Helmand province killed 31 Taliban "
                  "fighters and wounded 17 on Monday.", published=dt.date(2021, 6, 22))
    assert [dict(e.counts) for e in events_of(x, "Airstrike")] == [{"killed": 31, "injured": 17}]


def test_extraction_a_siege_named_in_the_phrase_of_a_fall(extracted):
    x = extracted("Herat fell to the Taliban on Thursday after a two-week siege.", published=dt.date(2021, 8, 13))
    # the siege of the place that fell, not dated by the fall
    assert [(e.places, e.time) for e in events_of(x, "Siege")] == [(("city/herat",), None)]


def test_extraction_a_thread_posts_stamp_dates_its_events(extracted):
    x = extracted("[12 Aug 2021, 09:30] Mawlawi Zahed (Taliban spokesman): The mujahideen took full control of "
                  "Khinjan district.", published=dt.date(2021, 8, 14))
    assert [e.time.date for e in events_of(x, "CaptureOfTerritory")] == ["2021-08-12"]
