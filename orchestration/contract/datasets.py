"""Every dataset of the landing contract (section 4): columns, types, value rules, keys, update kinds.

A rule is declared once here; the synthetic writer produces values that satisfy it and ingestion
quarantines rows that break it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    TIMESTAMP = "timestamp"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOLEAN = "boolean"


class UpdateKind(StrEnum):
    DELTA = "delta"  # upsert on the key, latest modification wins
    EVENTS = "events"  # facts keyed by id; a later delivery of the same id replaces it
    SNAPSHOT = "snapshot"  # complete state of the period; a correction replaces the period


class Check(StrEnum):
    """Value rules beyond type and code list."""

    NISS = "niss"  # national register number checksum
    ENTERPRISE_NUMBER = "enterprise_number"
    NACE5 = "nace5"  # 5 digits whose division belongs to a NACE-BEL section
    NON_NEGATIVE = "non_negative"
    AT_LEAST_ONE = "at_least_one"
    FTE = "fte"  # 0 < value <= 1
    PERIOD_YEAR = "period_year"  # equals the delivery period's year
    PERIOD_MONTH = "period_month"  # equals the delivery period's month number
    PERIOD_YYYY_MM = "period_yyyy_mm"  # text YYYY-MM equal to the delivery period


class CodeList(StrEnum):
    """Code lists kept as reference data in `seeds/` (the small fixed ones are inline below)."""

    BRUSSELS_COMMUNES = "brussels_communes"
    MUNICIPALITIES = "municipalities"
    COUNTRIES = "countries"
    ISCO_UNIT_GROUPS = "isco_unit_groups"
    BF_DOMAINS = "bf_domains"
    VDAB_DOMAINS = "vdab_domains"


# Columns whose raw values are personal identifiers: replaced by a keyed pseudonym at ingest.
PERSONAL_IDENTIFIER_COLUMNS = frozenset({"niss", "insz", "matricule"})


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    codes: frozenset[str] | CodeList | None = None
    required: bool = True
    # Required only when another column holds one of these values (e.g. `code_ins_cpas` for DEI_CPAS),
    # or, with None as the values, whenever that other column is not empty.
    required_when: tuple[str, frozenset[str] | None] | None = None
    check: Check | None = None
    # For an end date: the start column it may not precede.
    not_before: str | None = None
    description: str = ""

    @property
    def is_personal_identifier(self) -> bool:
        return self.name in PERSONAL_IDENTIFIER_COLUMNS


@dataclass(frozen=True)
class Dataset:
    source: str
    name: str
    update_kind: UpdateKind
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    yearly: bool = False  # yearly datasets deliver period <YYYY>12
    modified_column: str | None = None  # drives "latest modification wins" for delta datasets
    description: str = ""
    column_index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_index", {c.name: c for c in self.columns})
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.qualified_name}: duplicate column names")
        for column in self.columns:
            if column.required_when and column.required_when[0] not in self.column_index:
                raise ValueError(f"{self.qualified_name}.{column.name}: unknown column in required_when")
            if column.not_before and column.not_before not in self.column_index:
                raise ValueError(f"{self.qualified_name}.{column.name}: unknown start column")

    @property
    def qualified_name(self) -> str:
        return f"{self.source}/{self.name}"

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _codes(*values: str) -> frozenset[str]:
    return frozenset(values)


def _when(column: str, *values: str) -> tuple[str, frozenset[str] | None]:
    return (column, frozenset(values) if values else None)


T, D, TS, DEC, INT, BOOL = Kind.TEXT, Kind.DATE, Kind.TIMESTAMP, Kind.DECIMAL, Kind.INTEGER, Kind.BOOLEAN

DEMANDEURS = Dataset(
    source="actiris",
    name="demandeurs",
    update_kind=UpdateKind.DELTA,
    key=("id_dossier",),
    modified_column="date_modification",
    description="Job seeker registrations, one row per registration episode.",
    columns=(
        Column("id_dossier", T),
        Column("niss", T, check=Check.NISS),
        Column("date_naissance", D),
        Column("sexe", T, codes=_codes("M", "F", "X")),
        Column("code_ins_commune", T, codes=CodeList.BRUSSELS_COMMUNES),
        Column("niveau_etudes", T, codes=_codes("P", "S2", "S3", "SUP", "ETR")),
        Column("nationalite", T, codes=CodeList.COUNTRIES),
        Column("langue", T, codes=_codes("FR", "NL")),
        Column(
            "type_inscription", T, codes=_codes("DEI_ALLOC", "DEI_BIT", "DEI_CPAS", "DEI_AUTRE", "DE_OCCUPE")
        ),
        Column(
            "code_ins_cpas",
            T,
            # "INS code of the referring CPAS/OCMW": a Belgian municipality's, not only one of the 19
            codes=CodeList.MUNICIPALITIES,
            required=False,
            required_when=_when("type_inscription", "DEI_CPAS"),
        ),
        Column("date_inscription", D),
        Column("date_sortie", D, required=False, not_before="date_inscription"),
        Column(
            "motif_sortie",
            T,
            codes=_codes("EMPLOI", "FORMATION", "ETUDES", "DEMENAGEMENT", "RADIATION", "AUTRE"),
            required=False,
            required_when=_when("date_sortie"),
        ),
        Column("date_modification", TS),
    ),
)

ACTIONS = Dataset(
    source="actiris",
    name="actions",
    update_kind=UpdateKind.EVENTS,
    key=("id_action",),
    description="Guidance events: interviews, action plans, assessments, offers, referrals.",
    columns=(
        Column("id_action", T),
        Column("id_dossier", T),
        Column(
            "type_action",
            T,
            codes=_codes(
                "ENTRETIEN_1",
                "PAI",
                "BILAN_LANGUE",
                "BILAN_NUMERIQUE",
                "BILAN_COMPETENCES",
                "OFFRE_EMPLOI",
                "OFFRE_STAGE",
                "OFFRE_FORMATION",
                "ORIENTATION_FORMATION",
            ),
        ),
        Column("date_action", D),
        Column(
            "organisme_cible",
            T,
            codes=_codes("BF", "VDAB", "EFP", "PARTENAIRE"),
            required=False,
            required_when=_when("type_action", "ORIENTATION_FORMATION"),
        ),
        Column("canal", T, codes=_codes("AGENCE", "PARTENAIRE", "EN_LIGNE", "CONTACT_CENTER")),
        Column("annule", BOOL),
    ),
)

DECISIONS_DISPONIBILITE = Dataset(
    source="actiris",
    name="decisions_disponibilite",
    update_kind=UpdateKind.EVENTS,
    key=("id_decision",),
    description="Availability-control procedures and their decisions.",
    columns=(
        Column("id_decision", T),
        Column("id_dossier", T),
        Column("type_procedure", T, codes=_codes("EVALUATION", "REEVALUATION", "SANCTION_ADMIN")),
        Column("date_debut_procedure", D),
        Column(
            "date_decision",
            D,
            required=False,
            required_when=_when("resultat", "POSITIF", "NEGATIF", "SANCTION"),
            not_before="date_debut_procedure",
        ),
        # decided means both given: a decision date without its result is a result left empty
        Column(
            "resultat",
            T,
            codes=_codes("POSITIF", "NEGATIF", "SANCTION"),
            required=False,
            required_when=_when("date_decision"),
        ),
        Column("recours", BOOL),
    ),
)

OFFRES_EMPLOI = Dataset(
    source="actiris",
    name="offres_emploi",
    update_kind=UpdateKind.DELTA,
    key=("id_offre",),
    modified_column="date_modification",
    description="Vacancies received by Actiris.",
    columns=(
        Column("id_offre", T),
        Column("numero_bce", T, check=Check.ENTERPRISE_NUMBER),
        Column("date_reception", D),
        Column("code_nace", T, check=Check.NACE5),
        Column("code_isco", T, codes=CodeList.ISCO_UNIT_GROUPS),
        Column("lieu_code_ins", T, codes=CodeList.MUNICIPALITIES),
        Column("canal", T, codes=_codes("DIRECT", "PARTENARIAT", "SELECT", "AVIATO")),
        Column("id_partenariat", T, required=False, required_when=_when("canal", "PARTENARIAT")),
        Column("nb_postes", INT, check=Check.AT_LEAST_ONE),
        Column(
            "statut", T, codes=_codes("OUVERTE", "POURVUE_ACTIRIS", "POURVUE_AUTRE", "ANNULEE", "EXPIREE")
        ),
        Column(
            "date_cloture",
            D,
            required=False,
            required_when=_when("statut", "POURVUE_ACTIRIS", "POURVUE_AUTRE", "ANNULEE", "EXPIREE"),
            not_before="date_reception",
        ),
        Column("date_modification", TS),
    ),
)

MISES_EN_RELATION = Dataset(
    source="actiris",
    name="mises_en_relation",
    update_kind=UpdateKind.EVENTS,
    key=("id_match",),
    description="Matches between vacancies and job seekers.",
    columns=(
        Column("id_match", T),
        Column("id_offre", T),
        Column("id_dossier", T),
        Column("date_match", D),
        Column("origine", T, codes=_codes("IA", "CONSEILLER", "CANDIDATURE")),
        Column(
            "resultat",
            T,
            codes=_codes("EMBAUCHE", "REFUS_EMPLOYEUR", "REFUS_CANDIDAT", "SANS_SUITE", "EN_COURS"),
        ),
        Column(
            "date_resultat",
            D,
            required=False,
            required_when=_when("resultat", "EMBAUCHE", "REFUS_EMPLOYEUR", "REFUS_CANDIDAT", "SANS_SUITE"),
            not_before="date_match",
        ),
    ),
)

OCCUPATIONS = Dataset(
    source="actiris",
    name="occupations",
    update_kind=UpdateKind.DELTA,
    key=("id_occupation",),
    modified_column="date_modification",
    description="Employment spells from the social-security link.",
    columns=(
        Column("id_occupation", T),
        Column("niss", T, check=Check.NISS),
        Column("date_debut", D),
        Column("date_fin", D, required=False, not_before="date_debut"),
        Column("type_contrat", T, codes=_codes("CDI", "CDD", "INTERIM", "ART60", "STAGE", "INDEPENDANT")),
        Column("regime", T, codes=_codes("TP", "TPP")),
        Column("code_nace", T, check=Check.NACE5),
        Column("region_travail", T, codes=_codes("BRU", "VLA", "WAL", "ETR")),
        Column("date_modification", TS),
    ),
)

BUDGET = Dataset(
    source="actiris",
    name="budget",
    update_kind=UpdateKind.SNAPSHOT,
    key=("exercice", "mois", "article_budgetaire", "type_credit"),
    description="Budget credits and cumulative execution, one snapshot per month.",
    columns=(
        Column("exercice", INT, check=Check.PERIOD_YEAR),
        Column("mois", INT, check=Check.PERIOD_MONTH),
        Column("article_budgetaire", T),
        Column("libelle_article", T),
        Column(
            "programme",
            T,
            codes=_codes("ACCOMPAGNEMENT", "AIDES_EMPLOI", "FORMATION", "FSE", "FONCTIONNEMENT", "PERSONNEL"),
        ),
        Column("type_credit", T, codes=_codes("ENG", "LIQ")),
        Column("credit_initial", DEC, check=Check.NON_NEGATIVE),
        Column("credit_ajuste", DEC, check=Check.NON_NEGATIVE),
        Column("montant_cumule", DEC, check=Check.NON_NEGATIVE),
    ),
)

RH_PERSONNEL = Dataset(
    source="actiris",
    name="rh_personnel",
    update_kind=UpdateKind.SNAPSHOT,
    key=("matricule", "mois"),
    description="Staff, one row per person per month.",
    columns=(
        Column("matricule", T),
        Column("mois", T, check=Check.PERIOD_YYYY_MM),
        Column("direction", T),
        Column("categorie_fonction", T, codes=_codes("ACCOMPAGNEMENT_DIRECT", "SUPPORT", "MANAGEMENT")),
        Column("etp", DEC, check=Check.FTE),
        Column("statut", T, codes=_codes("STATUTAIRE", "CONTRACTUEL")),
    ),
)

RH_ABSENCES = Dataset(
    source="actiris",
    name="rh_absences",
    update_kind=UpdateKind.DELTA,
    key=("id_absence",),
    modified_column="date_modification",
    description="Staff absence spells.",
    columns=(
        Column("id_absence", T),
        Column("matricule", T),
        Column("date_debut", D),
        Column("date_fin", D, required=False, not_before="date_debut"),
        Column(
            "type_absence", T, codes=_codes("MALADIE", "ACCIDENT_TRAVAIL", "ACCIDENT_VIE_PRIVEE", "AUTRE")
        ),
        Column("date_modification", TS),
    ),
)

DEMANDES_FORMATION = Dataset(
    source="bf",
    name="demandes_formation",
    update_kind=UpdateKind.EVENTS,
    key=("id_demande",),
    description="Training applications at Bruxelles Formation.",
    columns=(
        Column("id_demande", T),
        Column("niss", T, check=Check.NISS),
        Column("date_demande", D),
        Column("code_domaine", T, codes=CodeList.BF_DOMAINS),
        Column("organisme", T, codes=_codes("BF", "PARTENAIRE")),
        Column(
            "prescripteur",
            T,
            codes=_codes("ACTIRIS", "CARREFOUR", "EN_LIGNE", "CPAS", "MISSION_LOCALE", "AUTRE"),
        ),
    ),
)

INVITATIONS_SEANCES = Dataset(
    source="bf",
    name="invitations_seances",
    update_kind=UpdateKind.EVENTS,
    key=("id_invitation",),
    description="Invitations to Bruxelles Formation information sessions.",
    columns=(
        Column("id_invitation", T),
        Column("niss", T, check=Check.NISS),
        Column("date_invitation", D),
        Column("code_domaine", T, codes=CodeList.BF_DOMAINS),
        Column("canal", T, codes=_codes("CARREFOUR", "AGENCE_ACTIRIS", "EN_LIGNE", "AUTRE")),
        Column("present", BOOL),
    ),
)

STAGIAIRES = Dataset(
    source="bf",
    name="stagiaires",
    update_kind=UpdateKind.DELTA,
    key=("id_participation",),
    modified_column="date_modification",
    description="Training participations at Bruxelles Formation.",
    columns=(
        Column("id_participation", T),
        Column("niss", T, check=Check.NISS),
        Column("code_domaine", T, codes=CodeList.BF_DOMAINS),
        Column(
            "type_formation",
            T,
            codes=_codes(
                "QUALIFIANTE",
                "PERFECTIONNEMENT",
                "COMPETENCES_SPECIFIQUES",
                "FORMATION_EMPLOI",
                "FPI_E",
                "ALPHA",
                "BASE",
                "PREFORMATION",
                "LANGUES",
                "ORIENTATION",
            ),
        ),
        Column("centre", T),
        Column("date_debut", D),
        Column(
            "date_fin",
            D,
            required=False,
            required_when=_when("statut_fin", "TERMINE", "ABANDON"),
            not_before="date_debut",
        ),
        Column("statut_fin", T, codes=_codes("TERMINE", "ABANDON", "EN_COURS")),
        Column("certifie", BOOL),
        Column("date_modification", TS),
    ),
)

OPLEIDINGEN = Dataset(
    source="vdab",
    name="opleidingen",
    update_kind=UpdateKind.DELTA,
    key=("deelname_id",),
    modified_column="laatst_gewijzigd",
    description="Training participations of Brussels job seekers at VDAB Brussel.",
    columns=(
        Column("deelname_id", T),
        Column("insz", T, check=Check.NISS),
        Column("studiegebied", T, codes=CodeList.VDAB_DOMAINS),
        Column(
            "opleidingstype",
            T,
            codes=_codes(
                "BEROEPSOPLEIDING", "BIJSCHOLING", "IBO", "TAALOPLEIDING", "ORIENTATIE", "BASISVAARDIGHEDEN"
            ),
        ),
        Column("startdatum", D),
        Column(
            "einddatum",
            D,
            required=False,
            required_when=_when("uitstroomstatus", "GESLAAGD", "VOORTIJDIG_GESTOPT"),
            not_before="startdatum",
        ),
        Column("uitstroomstatus", T, codes=_codes("GESLAAGD", "VOORTIJDIG_GESTOPT", "LOPEND")),
        Column("attest", BOOL),
        Column("laatst_gewijzigd", TS),
    ),
)

DATASETS: tuple[Dataset, ...] = (
    DEMANDEURS,
    ACTIONS,
    DECISIONS_DISPONIBILITE,
    OFFRES_EMPLOI,
    MISES_EN_RELATION,
    OCCUPATIONS,
    BUDGET,
    RH_PERSONNEL,
    RH_ABSENCES,
    DEMANDES_FORMATION,
    INVITATIONS_SEANCES,
    STAGIAIRES,
    OPLEIDINGEN,
)

DATASETS_BY_NAME: dict[tuple[str, str], Dataset] = {(d.source, d.name): d for d in DATASETS}


def dataset(source: str, name: str) -> Dataset:
    try:
        return DATASETS_BY_NAME[(source, name)]
    except KeyError:
        raise KeyError(f"{source}/{name} is not a dataset of the landing contract") from None
