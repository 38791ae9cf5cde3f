// The typed model of the iWmo 3.2 messages istd processes (all fourteen types), built by the SAX parser in the same
// pass as XSD validation (xml/message_parser.cpp).
//
// Design:
// * Every leaf value is a `Text`: the element's text exactly as it appeared (the level-2 rules of
//   the official XSLT compare many values as text: `0123` != `123`, whitespace counts) plus the id
//   of the element node it came from. Typed views (dates, integers) are parsed on demand with the
//   helpers at the end of this file; the XSD has already guaranteed their lexical form.
// * Every element of the message gets a `Node` in `Message::nodes` (name, parent, position among
//   same-named siblings, line and column). Findings point at nodes; `Message::path(node)` gives
//   the official report's `Locatie` (`/Bericht/Client/StartProducten/StartProduct[2]/Begindatum`,
//   with `[n]` only where same-named siblings exist).
// * Absent optional elements have `node == kNoNode`. Classes that are optional containers
//   (`Product`, `Omvang`, ...) carry their own node id so "present but empty" can be told apart.
#pragma once

#include <compare>
#include <deque>
#include <initializer_list>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace istd::model {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xffffffffu;

/// One element node of the parsed message (an index, not a DOM: no text, no children list).
struct Node {
  std::string_view name;        ///< local name (static storage, or Message::extra_names)
  NodeId parent = kNoNode;      ///< kNoNode for the root
  std::uint32_t index = 1;      ///< 1-based position among same-named siblings
  bool has_same_name_siblings = false;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// A leaf value: the text of one element as it appeared, and where.
struct Text {
  std::string value;
  NodeId node = kNoNode;

  bool present() const { return node != kNoNode; }
  /// Present with at least one character ("filled" in the rule texts).
  bool filled() const { return present() && !value.empty(); }
  const std::string& str() const { return value; }
};

/// The two standards istd handles. They share the engine and differ where the standard
/// differs (namespaces, BerichtCodes, two code lists and a few level-2 rules); every ledger key
/// carries the standard, because the uniqueness rules hold per legal domain (Wmo, Jeugdwet).
enum class Standard { iwmo, ijw };

/// "iWmo 3.2" or "iJw 3.2".
std::string_view standard_name(Standard s);
/// "wmo" or "jw": the word of `--standard` and of the ledger's domain column.
std::string_view standard_key(Standard s);
/// The standard for "wmo"/"iwmo" or "jw"/"ijw" (any case); nullopt otherwise.
std::optional<Standard> standard_from_key(std::string_view key);

/// Message types istd knows by namespace: the 14 of iWmo 3.2 and the 14 of iJw 3.2.
enum class MessageType {
  unknown,
  WMO301, WMO302, WMO305, WMO306, WMO307, WMO308,
  WMO315, WMO316, WMO317, WMO318, WMO319, WMO320,
  WMO323, WMO325,
  JW301, JW302, JW305, JW306, JW307, JW308,
  JW315, JW316, JW317, JW318, JW319, JW320,
  JW323, JW325,
};

/// "WMO305" / "JW305", or "" for unknown.
std::string_view to_string(MessageType t);
/// The BerichtCode of a type ("418" for WMO305, "438" for JW305), "" for unknown.
std::string_view bericht_code(MessageType t);
/// Dutch name of the message, e.g. "Start Wmo-ondersteuning", "Start Jeugdhulp".
std::string_view description(MessageType t);
/// Type for a root-element namespace URI; unknown when not an iWmo 3.2 or iJw 3.2 message
/// namespace.
MessageType type_from_namespace(std::string_view ns);
/// The namespace URI of a message type.
std::string namespace_of(MessageType t);
/// The standard a (known) type belongs to.
Standard standard_of(MessageType t);
/// The message's number in the exchange, the same in both standards: 305 for WMO305 and
/// JW305; 0 for unknown.
int number(MessageType t);
/// True when the type's number is one of `numbers` (`number_in(t, {305, 307})`).
inline bool number_in(MessageType t, std::initializer_list<int> numbers) {
  const int n = number(t);
  for (int x : numbers)
    if (x == n) return true;
  return false;
}
/// The type with that number in that standard (unknown when there is none).
MessageType type_of(Standard s, int number);
/// The basisschema namespace of a standard.
std::string_view basisschema_namespace(Standard s);
/// True for the types istd validates and models (every type of both standards).
bool is_supported(MessageType t);

// ---------------------------------------------------------------------------------------------
// Shared classes

struct RetourCodes {
  NodeId node = kNoNode;
  std::vector<Text> codes;
  bool present() const { return node != kNoNode; }
};

struct Header {
  NodeId node = kNoNode;
  Text berichtcode, berichtversie, berichtsubversie;
  Text afzender, ontvanger;
  NodeId bericht_identificatie = kNoNode;
  Text identificatie, dagtekening;
  Text basisschema_xsd_versie, bericht_xsd_versie;
  // Retour headers (302/306/308).
  Text identificatie_retour, dagtekening_retour;
  Text xsd_versie_retour_basisschema, xsd_versie_retour_bericht;
  // 325 header.
  NodeId declaratie_identificatie = kNoNode;
  Text declaratie_identificatie_id, declaratie_identificatie_dagtekening;
  Text xsd_versie_declaratie_basisschema, xsd_versie_declaratie_bericht;
  // 302/306/308/325.
  Text xslt_versie;
  RetourCodes retourcodes;
};

struct Geboortedatum {
  NodeId node = kNoNode;
  Text datum, datum_gebruik;
};

struct Product {
  NodeId node = kNoNode;
  Text categorie, code;
  bool present() const { return node != kNoNode; }
};

struct Omvang {
  NodeId node = kNoNode;
  Text volume, eenheid, frequentie;
  bool present() const { return node != kNoNode; }
};

struct Periode {  // CDT_GeslotenPeriode / CDT_OpenPeriode
  NodeId node = kNoNode;
  Text begindatum, einddatum;
  bool present() const { return node != kNoNode; }
};

struct BedragMetDC {
  NodeId node = kNoNode;
  Text bedrag, debet_credit;  ///< `Bedrag` or `TotaalBedrag`, and `DebetCredit`
};

/// CDT_VerkorteNaam / CDT_VolledigeNaam (the parts rules need).
struct Naam {
  NodeId node = kNoNode;
  Text achternaam, voorvoegsel, voornamen, voorletters, partnernaam_achternaam;
  NodeId partnernaam = kNoNode;
  Text naamgebruik;
};

struct Adres {
  NodeId node = kNoNode;
  NodeId huis = kNoNode;
  Text huisnummer, huisletter, huisnummer_toevoeging, aanduiding_woonadres;
  Text postcode, straatnaam, plaatsnaam, landcode;
  bool present() const { return node != kNoNode; }
};

struct Contact {
  NodeId node = kNoNode;
  Text soort;
  Adres adres;
  Text telefoon_landnummer, telefoon_nummer;
  NodeId telefoon = kNoNode;
  Text emailadres;
  Text organisatie;
  Periode periode;
  RetourCodes retourcodes;  ///< 302 only
};

struct Relatie {
  NodeId node = kNoNode;
  Text nummer, volgorde, soort;
  Geboortedatum geboortedatum;
  Text geslacht;
  Naam naam;
  Contact contact;
  RetourCodes retourcodes;  ///< 302 only
};

struct Communicatie {
  NodeId node = kNoNode;
  Text vorm, taal;
};

// ---------------------------------------------------------------------------------------------
// 301 / 302

struct ToegewezenProduct {
  NodeId node = kNoNode;
  Text toewijzing_nummer;
  Text referentie_aanbieder;
  Product product;
  Text toewijzingsdatum, toewijzingstijd;
  Text ingangsdatum, einddatum;
  Text reden_wijziging;
  Omvang omvang;
  Text budget;
  Text commentaar;
  RetourCodes retourcodes;  ///< 302 only
};

/// True when an allocation version with these values deletes the allocation (it then counts as
/// never sent): RedenWijziging 13, or the legacy 01 with Einddatum = Ingangsdatum (compared as
/// text). The ledger (`AllocationVersion::deleted`) and reconcile both ask this.
bool allocation_deleted(std::optional<std::string_view> reden_wijziging,
                        std::string_view ingangsdatum, std::optional<std::string_view> einddatum);

// ---------------------------------------------------------------------------------------------
// 305/306 and 307/308

struct StartProduct {
  NodeId node = kNoNode;
  Text toewijzing_nummer;
  Product product;
  Text toewijzing_ingangsdatum;
  Text begindatum;
  Text status_aanlevering;
  RetourCodes retourcodes;  ///< 306 only
};

struct StopProduct {
  NodeId node = kNoNode;
  Text toewijzing_nummer;
  Product product;
  Text toewijzing_ingangsdatum;
  Text begindatum;
  Text reden_beeindiging;
  Text einddatum;
  Text status_aanlevering;
  RetourCodes retourcodes;  ///< 308 only
};

// ---------------------------------------------------------------------------------------------
// 315/316 (Verzoek om toewijzing), 317/318 (Verzoek om wijziging), 319/320 (Antwoordbericht)

/// CDT_Verwijzer: who referred the client (315).
struct Verwijzer {
  NodeId node = kNoNode;
  Text type, zorgverlener_code, naam;
  bool present() const { return node != kNoNode; }
};

/// 315 `AangevraagdProduct`: one requested allocation.
struct AangevraagdProduct {
  NodeId node = kNoNode;
  Text referentie_aanbieder;
  Text beschikking_nummer;
  Product product;
  Text beschikking_ingangsdatum;
  Text toewijzing_ingangsdatum, toewijzing_einddatum;
  Omvang omvang;
  Text budget;
  Verwijzer verwijzer;
  Text raamcontract, commentaar;
  RetourCodes retourcodes;  ///< 316 only
};

/// 317 `OngewijzigdProduct`: an actuele allocation the request leaves as it is.
struct OngewijzigdProduct {
  NodeId node = kNoNode;
  Text toewijzing_nummer;
  RetourCodes retourcodes;  ///< 318 only
};

/// 317 `TeWijzigenProduct`: an actuele allocation the request asks to change.
struct TeWijzigenProduct {
  NodeId node = kNoNode;
  Text toewijzing_nummer;
  Text gewenste_ingangsdatum, einddatum;
  Omvang omvang;
  Text budget;
  RetourCodes retourcodes;  ///< 318 only
};

/// 317 `NieuwProduct`: an allocation the request asks for in addition.
struct NieuwProduct {
  NodeId node = kNoNode;
  Product product;
  Text gewenste_ingangsdatum, einddatum;
  Omvang omvang;
  Text budget;
  RetourCodes retourcodes;  ///< 318 only
};

/// 317 `Verzoek` (one per message).
struct Verzoek {
  NodeId node = kNoNode;
  Text referentie_aanbieder, reden_verzoek;
  NodeId ongewijzigde_producten = kNoNode;
  std::vector<OngewijzigdProduct> ongewijzigd;
  NodeId te_wijzigen_producten = kNoNode;
  std::vector<TeWijzigenProduct> te_wijzigen;
  NodeId nieuwe_producten = kNoNode;
  std::vector<NieuwProduct> nieuw;
  RetourCodes retourcodes;  ///< 318 only
  bool present() const { return node != kNoNode; }
};

/// 319 `Antwoord` (one per message; it names no client, only the request's reference).
struct Antwoord {
  NodeId node = kNoNode;
  Text referentie_aanbieder, verzoek_antwoord, reden_afwijzing_verzoek;
  /// iJw only: `Woonplaatsbeginsel` (present exactly when RedenAfwijzingVerzoek is 8) and the
  /// municipality responsible under it; in a JW320 it carries its own RetourCodes.
  NodeId woonplaatsbeginsel = kNoNode;
  Text woonplaatsbeginsel_gemeente;
  RetourCodes woonplaatsbeginsel_retourcodes;
  RetourCodes retourcodes;  ///< 320 only
  bool present() const { return node != kNoNode; }
};

/// The single `Client` of a 301/302/305-308/315-318.
struct Client {
  NodeId node = kNoNode;
  Text bsn;
  Geboortedatum geboortedatum;
  Text geslacht;
  Naam naam;
  // 301/302
  Communicatie communicatie;
  Text juridische_status, wettelijke_vertegenwoordiging, commentaar;
  NodeId relaties = kNoNode;
  std::vector<Relatie> relatie;
  NodeId contactgegevens = kNoNode;
  std::vector<Contact> contacten;
  NodeId toegewezen_producten = kNoNode;
  std::vector<ToegewezenProduct> toegewezen;
  // 305/306
  NodeId start_producten = kNoNode;
  std::vector<StartProduct> starts;
  // 307/308
  NodeId stop_producten = kNoNode;
  std::vector<StopProduct> stops;
  // 315/316
  Text gezagsdrager_bekend;  ///< iJw only: the provider already knows the gezagsdrager (1 ja, 2 nee)
  NodeId aangevraagde_producten = kNoNode;
  std::vector<AangevraagdProduct> aangevraagd;
  // 317/318
  Verzoek verzoek;
  RetourCodes retourcodes;  ///< retours only
  bool present() const { return node != kNoNode; }
};

// ---------------------------------------------------------------------------------------------
// 323 / 325

struct Prestatie {
  NodeId node = kNoNode;
  NodeId product_referentie = kNoNode;
  Text referentie_nummer, vorig_referentie_nummer;
  Text toewijzing_nummer;
  Text product_categorie, product_code;
  Periode product_periode;
  Text geleverd_volume, eenheid, product_tarief;
  BedragMetDC ingediend_bedrag;
  RetourCodes retourcodes;  ///< 325 only
};

struct DeclaratieClient {
  NodeId node = kNoNode;
  Text bsn;
  NodeId prestaties_node = kNoNode;
  std::vector<Prestatie> prestaties;
  RetourCodes retourcodes;  ///< 325 only
};

/// 323 `Declaratie` and 325 `DeclaratieAntwoord` (the latter has no period/dagtekening but has
/// TotaalToegekendBedrag and RetourCodes).
struct Declaratie {
  NodeId node = kNoNode;
  Text declaratie_nummer;
  Periode declaratie_periode;              ///< 323
  Text declaratie_dagtekening;             ///< 323
  BedragMetDC totaal_ingediend;
  BedragMetDC totaal_toegekend;            ///< 325
  NodeId clienten_node = kNoNode;
  std::vector<DeclaratieClient> clienten;
  RetourCodes retourcodes;                 ///< 325
  bool present() const { return node != kNoNode; }
};

// ---------------------------------------------------------------------------------------------

/// One parsed message. Which parts are filled depends on `type`.
struct Message {
  Message() = default;
  Message(Message&&) = default;
  Message& operator=(Message&&) = default;
  // Node names may point into extra_names: copying would leave them pointing at the original.
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  MessageType type = MessageType::unknown;
  std::vector<Node> nodes;   ///< nodes[0] is the root `Bericht` when parsing got that far
  /// Names of elements the model does not know (invalid messages); std::deque keeps them put.
  std::deque<std::string> extra_names;
  Header header;
  Client client;             ///< 301, 302, 305, 306, 307, 308, 315, 316, 317, 318
  Antwoord antwoord;         ///< 319, 320
  Declaratie declaratie;     ///< 323 `Declaratie`, 325 `DeclaratieAntwoord`

  /// The official report's Locatie for a node: `/Bericht/Client/...[n]/...`. "" for kNoNode.
  std::string path(NodeId n) const;
  std::uint32_t line(NodeId n) const { return n == kNoNode ? 0 : nodes[n].line; }
  std::uint32_t column(NodeId n) const { return n == kNoNode ? 0 : nodes[n].column; }
};

// ---------------------------------------------------------------------------------------------
// Typed views of lexical values.

/// A calendar date (proleptic Gregorian), comparable; `days()` is days since 1970-01-01.
struct Date {
  int year = 0;
  int month = 0;  ///< 1..12
  int day = 0;    ///< 1..31
  auto operator<=>(const Date&) const = default;

  std::int64_t days() const;                 ///< days since 1970-01-01
  static Date from_days(std::int64_t days);
  Date add_days(std::int64_t n) const { return from_days(days() + n); }
  int weekday() const;                       ///< Monday = 0 .. Sunday = 6
  static int days_in_month(int year, int month);
  Date first_of_month() const { return {year, month, 1}; }
  Date last_of_month() const { return {year, month, days_in_month(year, month)}; }
  /// Same day n months later, clipped to the month's length.
  Date add_months(int n) const;
  std::string to_string() const;             ///< YYYY-MM-DD
};

/// Parses `YYYY-MM-DD` (xs:date without time zone; a leading '-' or more year digits rejected).
std::optional<Date> parse_date(std::string_view s);
/// Parses an xs:integer lexical value (optional sign, leading zeros, surrounding whitespace).
std::optional<std::int64_t> parse_int(std::string_view s);
/// xs:integer canonical form of a lexical value ("+007" -> "7"), or nullopt.
std::optional<std::string> canonical_int(std::string_view s);

/// 11-proof of a BSN as the official rule CS002 computes it (the number value of the text).
bool bsn_eleven_proof(std::string_view bsn);
/// "******006": a BSN masked for logs.
std::string mask_bsn(std::string_view bsn);

}  // namespace istd::model
