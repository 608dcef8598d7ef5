"""The dossier as a human-readable PDF, in Slovene and English (fpdf2 with an embedded Unicode font)."""
from __future__ import annotations

from pathlib import Path

from services.settings import get_settings

def _packaged_font() -> str:
    """Source Sans Pro from the font-source-sans-pro wheel (OFL-1.1): covers č š ž, needs no apt."""
    try:
        import font_source_sans_pro
    except ImportError:
        return ""
    return str(Path(font_source_sans_pro.__file__).parent / "files" / "SourceSansPro-Regular.ttf")


FALLBACK_FONTS = (_packaged_font(), "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                  "/usr/share/fonts/TTF/DejaVuSans.ttf")

# (Slovene, English) labels
L = {
    "title": ("Dosje sklepa za pristojno državno institucijo", "Dossier of a conclusion for the competent national body"),
    "intro": ("Občina posreduje sklep prebivalcev, ki ga ne more rešiti sama, ker sodi v pristojnost države.",
              "The municipality forwards a residents' conclusion it cannot resolve itself, as it belongs to the state."),
    "municipality": ("Občina", "Municipality"),
    "institution": ("Prejemnik", "Recipient"),
    "process": ("Proces", "Process"),
    "proposal": ("Predlog", "Proposal"),
    "theme": ("Področje", "Theme"),
    "summary": ("Povzetek", "Summary"),
    "deliberation": ("Razprava", "Deliberation"),
    "vote": ("Glasovanje", "Vote"),
    "tally": ("Za / proti / vzdržani", "Yes / no / abstain"),
    "turnout": ("Udeležba", "Turnout"),
    "rules": ("Pravila, določena ob začetku glasovanja", "Rules, fixed when the vote opened"),
    "electorate": ("Volilno telo", "Electorate"),
    "result": ("Izid po teh pravilih", "Outcome under these rules"),
    "competence": ("Pristojnost", "Competence"),
    "justification": ("Utemeljitev pristojnosti", "Competence justification"),
    "note": ("Opomba občinske uprave", "Staff note"),
    "proof": ("Dokazilo o pristnosti", "Proof of authenticity"),
    "digest": ("Izvleček SHA-256", "SHA-256 digest"),
    "signature": ("Podpis Ed25519 (ključ {kid})", "Ed25519 signature (key {kid})"),
    "verify": ("Javni ključi: /.well-known/civic-keys.json na platformi.",
               "Public keys: /.well-known/civic-keys.json on the platform."),
}


# What the frozen rules say, in both languages (None: an old conclusion did not record it).
MAJORITY = {"simple": ("navadna večina: več glasov za kot proti", "simple majority: more yes than no"),
            "absolute": ("absolutna večina: za več kot polovica vseh glasovnic",
                         "absolute majority: yes on more than half of all ballots"),
            "qualified": ("kvalificirana večina: za vsaj {f} glasov za in proti",
                          "qualified majority: yes at least {f} of yes and no")}
TIE = {"rejected": ("izenačen izid je zavrnjen", "a tie is rejected"),
       "adopted": ("izenačen izid je sprejet", "a tie is adopted")}
ELECTORATE = {"register_at_opening": ("upravičeni prebivalci v registru ob začetku glasovanja",
                                      "eligible residents on the register at the opening of the vote"),
              "register_at_close": ("upravičeni prebivalci v registru ob koncu glasovanja",
                                    "eligible residents on the register at the close of the vote")}
UNKNOWN = ("ni zabeleženo", "not recorded")
OUTCOME = {"adopted": ("sprejet", "adopted"), "rejected": ("zavrnjen", "rejected"),
           "no_quorum": ("ni sklepčnosti", "no quorum")}


def vote_lines(vote: dict) -> list[tuple[str, tuple[str, str]]]:
    """(label, (Slovene, English)) lines stating the vote exactly as its dossier section says."""
    rules = vote.get("rules") or {}
    fraction = rules.get("qualified_fraction")
    majority = tuple(t.format(f=f"{fraction:.0%}" if fraction else "?") for t in MAJORITY.get(
        rules.get("majority"), (f"večina: {UNKNOWN[0]}", f"majority: {UNKNOWN[1]}")))
    tie = TIE.get(rules.get("tie"), (f"izenačen izid: {UNKNOWN[0]}", f"tie: {UNKNOWN[1]}"))
    if rules.get("majority") == "qualified":  # a share of yes: no tie to settle
        tie = ("pravilo za izenačen izid se ne uporablja", "the tie rule does not apply")
    needed, percent = vote.get("quorum_needed"), rules.get("quorum_percent")
    quorum_sl = f"sklepčnost (glasovnic): vsaj {rules.get('quorum_ballots')}"
    quorum_en = f"quorum: at least {rules.get('quorum_ballots')} ballots"
    if rules.get("quorum_ballots") is None:
        quorum_sl, quorum_en = f"sklepčnost: {UNKNOWN[0]}", f"quorum: {UNKNOWN[1]}"
    if percent:
        quorum_sl += f" in {percent:g} % volilnega telesa"
        quorum_en += f" and {percent:g} % of the electorate"
    if needed is not None:
        quorum_sl += f", torej {needed}"
        quorum_en += f", so {needed} ballots"
    electorate, turnout, ballots = vote.get("electorate"), vote.get("turnout"), vote["ballots"]
    basis = ELECTORATE.get(rules.get("electorate"), UNKNOWN)
    lines = [("rules", (f"{majority[0]}; {tie[0]}; {quorum_sl}", f"{majority[1]}; {tie[1]}; {quorum_en}")),
             ("electorate", (f"{electorate if electorate is not None else '-'} ({basis[0]})",
                             f"{electorate if electorate is not None else '-'} ({basis[1]})"))]
    if electorate and turnout is not None:
        lines.append(("turnout", (f"{ballots} od {electorate} ({turnout:.1%})".replace(".", ","),
                                  f"{ballots} of {electorate} ({turnout:.1%})")))
    else:
        lines.append(("turnout", (f"{ballots} glasovnic; {UNKNOWN[0]}", f"{ballots} ballots; share {UNKNOWN[1]}")))
    lines.append(("result", OUTCOME.get(vote.get("outcome"), UNKNOWN)))
    return lines


def _font_path() -> str:
    for candidate in (get_settings().pdf_font, *FALLBACK_FONTS):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("No Unicode TTF font for dossier PDFs: install font-source-sans-pro or set CIVIC_PDF_FONT.")


def render(document: dict, digest: str, key_id: str | None, signature: str | None) -> bytes:
    """The dossier's PDF bytes; every value comes from the signed JSON document."""
    from fpdf import FPDF  # imported when needed: the service starts even where fpdf2 is missing

    pdf = FPDF(format="A4")
    pdf.set_title(f"Dossier {document['dossier_id']}")
    pdf.set_author(f"Občina {document['municipality']}")
    pdf.add_font("civic", "", _font_path())
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int = 10) -> None:
        pdf.set_font("civic", size=size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(width, size * 0.55, text)

    def field(label: str, value, **fmt) -> None:
        sl, en = L[label]
        line(f"{sl.format(**fmt)} / {en.format(**fmt)}: {'' if value is None else value}")

    line(f"{L['title'][0]}\n{L['title'][1]}", 14)
    line(f"{L['intro'][0]}\n{L['intro'][1]}")
    pdf.ln(2)
    proposal, vote = document["proposal"], document.get("vote", {})
    institution = document["institution"]
    field("municipality", document["municipality"])
    field("institution", f"{institution['name'].get('sl', '')} / {institution['name'].get('en', '')}"
          if isinstance(institution["name"], dict) else institution["name"])
    field("process", document.get("process", {}).get("id", proposal.get("process_id")))
    pdf.ln(2)
    field("proposal", proposal["title"])
    field("theme", proposal["theme"])
    field("summary", proposal.get("summary") or "-")
    deliberation = document.get("deliberation") or {}
    field("deliberation", f"{deliberation.get('comments') if deliberation.get('comments') is not None else '-'}")
    stance = deliberation.get("by_alignment")
    if stance:
        line(f"  za / for {stance.get('for', 0)}, proti / against {stance.get('against', 0)}, "
             f"nevtralno / neutral {stance.get('neutral', 0)}")
    for workshop in deliberation.get("workshops", [])[:5]:
        line(f"  {workshop.get('kind')} {workshop.get('held_on')}: {workshop.get('participants')} "
             f"udeležencev / participants ({workshop.get('facilitator')})")
    for arg in deliberation.get("arguments_for", [])[:3]:
        line(f"  + {arg}")
    for arg in deliberation.get("arguments_against", [])[:3]:
        line(f"  - {arg}")
    tally = document["tally"]
    field("tally", f"{tally['yes']} / {tally['no']} / {tally['abstain']}")
    for label, (sl, en) in vote_lines({"ballots": document["ballots"], "outcome": document["outcome"], **vote}):
        line(f"{L[label][0]}: {sl}")
        line(f"{L[label][1]}: {en}")
    field("competence", document["competence"])
    field("justification", document.get("competence_justification") or "-")
    field("note", document.get("staff_note") or "-")
    pdf.ln(2)
    field("proof", "")
    field("digest", digest)
    if signature:
        field("signature", signature, kid=key_id)
    line(f"{L['verify'][0]}\n{L['verify'][1]}", 8)
    return bytes(pdf.output())
