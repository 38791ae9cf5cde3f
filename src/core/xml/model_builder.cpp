// Path tables of the typed model: which element opens which class, which fills which field.
#include "core/xml/model_builder.hpp"

#include <functional>

namespace istd::xml {
namespace {

using model::Message;
using model::NodeId;
using model::Text;

using OpenFn = std::function<void(Message&, NodeId)>;
using FillFn = std::function<void(Message&, Text&&)>;

constexpr std::uint32_t kDead = 0xffffffffu;

/// One position in the tree of known paths (index 0 is the root `Bericht`).
struct TrieNode {
  std::string name;
  std::vector<std::uint32_t> children;
  OpenFn open;
  FillFn fill;
};

struct Tables {
  std::vector<TrieNode> trie{TrieNode{"Bericht", {}, {}, {}}};

  std::uint32_t find_child(std::uint32_t at, std::string_view name) const {
    for (std::uint32_t c : trie[at].children)
      if (trie[c].name == name) return c;
    return kDead;
  }
  std::uint32_t node_for(const std::string& path) {
    std::uint32_t at = 0;
    std::size_t pos = 0;
    while (pos <= path.size()) {
      std::size_t slash = path.find('/', pos);
      if (slash == std::string::npos) slash = path.size();
      const std::string part = path.substr(pos, slash - pos);
      std::uint32_t next = find_child(at, part);
      if (next == kDead) {
        next = static_cast<std::uint32_t>(trie.size());
        trie.push_back(TrieNode{part, {}, {}, {}});
        trie[at].children.push_back(next);
      }
      at = next;
      pos = slash + 1;
    }
    return at;
  }
  void on_open(const std::string& path, OpenFn fn) {
    auto& n = trie[node_for(path)];
    if (!n.open) n.open = std::move(fn);
  }
  void on_fill(const std::string& path, FillFn fn) {
    auto& n = trie[node_for(path)];
    if (!n.fill) n.fill = std::move(fn);
  }

  // A Text field reached through a getter of its owning class.
  template <typename Get>
  void text(const std::string& path, Get get) {
    on_fill(path, [get](Message& m, Text&& t) { get(m) = std::move(t); });
  }
  template <typename Get>
  void node(const std::string& path, Get get) {
    on_open(path, [get](Message& m, NodeId n) { get(m) = n; });
  }
  template <typename Get>
  void retourcodes(const std::string& path, Get get) {
    on_open(path, [get](Message& m, NodeId n) { get(m).node = n; });
    on_fill(path + "/RetourCode",
            [get](Message& m, Text&& t) { get(m).codes.push_back(std::move(t)); });
  }
  template <typename Get>
  void product(const std::string& path, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/Categorie", [get](Message& m) -> Text& { return get(m).categorie; });
    text(path + "/Code", [get](Message& m) -> Text& { return get(m).code; });
  }
  template <typename Get>
  void omvang(const std::string& path, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/Volume", [get](Message& m) -> Text& { return get(m).volume; });
    text(path + "/Eenheid", [get](Message& m) -> Text& { return get(m).eenheid; });
    text(path + "/Frequentie", [get](Message& m) -> Text& { return get(m).frequentie; });
  }
  template <typename Get>
  void periode(const std::string& path, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/Begindatum", [get](Message& m) -> Text& { return get(m).begindatum; });
    text(path + "/Einddatum", [get](Message& m) -> Text& { return get(m).einddatum; });
  }
  template <typename Get>
  void geboortedatum(const std::string& path, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/Datum", [get](Message& m) -> Text& { return get(m).datum; });
    text(path + "/DatumGebruik", [get](Message& m) -> Text& { return get(m).datum_gebruik; });
  }
  template <typename Get>
  void naam(const std::string& path, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/Geslachtsnaam/Achternaam",
         [get](Message& m) -> Text& { return get(m).achternaam; });
    text(path + "/Geslachtsnaam/Voorvoegsel",
         [get](Message& m) -> Text& { return get(m).voorvoegsel; });
    node(path + "/Partnernaam", [get](Message& m) -> NodeId& { return get(m).partnernaam; });
    text(path + "/Partnernaam/Achternaam",
         [get](Message& m) -> Text& { return get(m).partnernaam_achternaam; });
    text(path + "/Voornamen", [get](Message& m) -> Text& { return get(m).voornamen; });
    text(path + "/Voorletters", [get](Message& m) -> Text& { return get(m).voorletters; });
    text(path + "/NaamGebruik", [get](Message& m) -> Text& { return get(m).naamgebruik; });
  }
  template <typename Get>
  void bedrag(const std::string& path, const std::string& amount_name, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/" + amount_name, [get](Message& m) -> Text& { return get(m).bedrag; });
    text(path + "/DebetCredit", [get](Message& m) -> Text& { return get(m).debet_credit; });
  }
  template <typename Get>
  void contact(const std::string& path, Get get) {
    node(path, [get](Message& m) -> NodeId& { return get(m).node; });
    text(path + "/Soort", [get](Message& m) -> Text& { return get(m).soort; });
    const std::string a = path + "/Adres";
    node(a, [get](Message& m) -> NodeId& { return get(m).adres.node; });
    node(a + "/Huis", [get](Message& m) -> NodeId& { return get(m).adres.huis; });
    text(a + "/Huis/Huisnummer", [get](Message& m) -> Text& { return get(m).adres.huisnummer; });
    text(a + "/Huis/Huisletter", [get](Message& m) -> Text& { return get(m).adres.huisletter; });
    text(a + "/Huis/HuisnummerToevoeging",
         [get](Message& m) -> Text& { return get(m).adres.huisnummer_toevoeging; });
    text(a + "/Huis/AanduidingWoonadres",
         [get](Message& m) -> Text& { return get(m).adres.aanduiding_woonadres; });
    text(a + "/Postcode", [get](Message& m) -> Text& { return get(m).adres.postcode; });
    text(a + "/Straatnaam", [get](Message& m) -> Text& { return get(m).adres.straatnaam; });
    text(a + "/Plaatsnaam", [get](Message& m) -> Text& { return get(m).adres.plaatsnaam; });
    text(a + "/LandCode", [get](Message& m) -> Text& { return get(m).adres.landcode; });
    text(path + "/Organisatie", [get](Message& m) -> Text& { return get(m).organisatie; });
    node(path + "/Telefoon", [get](Message& m) -> NodeId& { return get(m).telefoon; });
    text(path + "/Emailadres", [get](Message& m) -> Text& { return get(m).emailadres; });
    periode(path + "/Periode", [get](Message& m) -> model::Periode& { return get(m).periode; });
    retourcodes(path + "/RetourCodes",
                [get](Message& m) -> model::RetourCodes& { return get(m).retourcodes; });
  }

  Tables() {
    // Header (all types).
    node("Header", [](Message& m) -> NodeId& { return m.header.node; });
    auto h = [](auto member) {
      return [member](Message& m) -> Text& { return m.header.*member; };
    };
    using model::Header;
    text("Header/BerichtCode", h(&Header::berichtcode));
    text("Header/BerichtVersie", h(&Header::berichtversie));
    text("Header/BerichtSubversie", h(&Header::berichtsubversie));
    text("Header/Afzender", h(&Header::afzender));
    text("Header/Ontvanger", h(&Header::ontvanger));
    node("Header/BerichtIdentificatie",
         [](Message& m) -> NodeId& { return m.header.bericht_identificatie; });
    text("Header/BerichtIdentificatie/Identificatie", h(&Header::identificatie));
    text("Header/BerichtIdentificatie/Dagtekening", h(&Header::dagtekening));
    text("Header/XsdVersie/BasisschemaXsdVersie", h(&Header::basisschema_xsd_versie));
    text("Header/XsdVersie/BerichtXsdVersie", h(&Header::bericht_xsd_versie));
    text("Header/IdentificatieRetour", h(&Header::identificatie_retour));
    text("Header/DagtekeningRetour", h(&Header::dagtekening_retour));
    text("Header/XsltVersie", h(&Header::xslt_versie));
    text("Header/XsdVersieRetour/BasisschemaXsdVersie",
         h(&Header::xsd_versie_retour_basisschema));
    text("Header/XsdVersieRetour/BerichtXsdVersie", h(&Header::xsd_versie_retour_bericht));
    node("Header/DeclaratieIdentificatie",
         [](Message& m) -> NodeId& { return m.header.declaratie_identificatie; });
    text("Header/DeclaratieIdentificatie/Identificatie", h(&Header::declaratie_identificatie_id));
    text("Header/DeclaratieIdentificatie/Dagtekening",
         h(&Header::declaratie_identificatie_dagtekening));
    text("Header/XsdVersieDeclaratie/BasisschemaXsdVersie",
         h(&Header::xsd_versie_declaratie_basisschema));
    text("Header/XsdVersieDeclaratie/BerichtXsdVersie",
         h(&Header::xsd_versie_declaratie_bericht));
    retourcodes("Header/RetourCodes",
                [](Message& m) -> model::RetourCodes& { return m.header.retourcodes; });

    // Client of 301/302/305-308/315-318.
    node("Client", [](Message& m) -> NodeId& { return m.client.node; });
    text("Client/Bsn", [](Message& m) -> Text& { return m.client.bsn; });
    geboortedatum("Client/Geboortedatum",
                  [](Message& m) -> model::Geboortedatum& { return m.client.geboortedatum; });
    text("Client/Geslacht", [](Message& m) -> Text& { return m.client.geslacht; });
    naam("Client/Naam", [](Message& m) -> model::Naam& { return m.client.naam; });
    node("Client/Communicatie", [](Message& m) -> NodeId& { return m.client.communicatie.node; });
    text("Client/Communicatie/Vorm", [](Message& m) -> Text& { return m.client.communicatie.vorm; });
    text("Client/Communicatie/Taal", [](Message& m) -> Text& { return m.client.communicatie.taal; });
    text("Client/JuridischeStatus", [](Message& m) -> Text& { return m.client.juridische_status; });
    text("Client/WettelijkeVertegenwoordiging",
         [](Message& m) -> Text& { return m.client.wettelijke_vertegenwoordiging; });
    text("Client/Commentaar", [](Message& m) -> Text& { return m.client.commentaar; });
    text("Client/GezagsdragerBekend",  // iJw 315/316
         [](Message& m) -> Text& { return m.client.gezagsdrager_bekend; });
    retourcodes("Client/RetourCodes",
                [](Message& m) -> model::RetourCodes& { return m.client.retourcodes; });

    // Relations (301/302).
    node("Client/Relaties", [](Message& m) -> NodeId& { return m.client.relaties; });
    on_open("Client/Relaties/Relatie",
            [](Message& m, NodeId n) { m.client.relatie.emplace_back().node = n; });
    auto rel = [](Message& m) -> model::Relatie& { return m.client.relatie.back(); };
    text("Client/Relaties/Relatie/Nummer", [rel](Message& m) -> Text& { return rel(m).nummer; });
    text("Client/Relaties/Relatie/Volgorde",
         [rel](Message& m) -> Text& { return rel(m).volgorde; });
    text("Client/Relaties/Relatie/Soort", [rel](Message& m) -> Text& { return rel(m).soort; });
    geboortedatum("Client/Relaties/Relatie/Geboortedatum",
                  [rel](Message& m) -> model::Geboortedatum& { return rel(m).geboortedatum; });
    text("Client/Relaties/Relatie/Geslacht",
         [rel](Message& m) -> Text& { return rel(m).geslacht; });
    naam("Client/Relaties/Relatie/Naam", [rel](Message& m) -> model::Naam& { return rel(m).naam; });
    contact("Client/Relaties/Relatie/Contact",
            [rel](Message& m) -> model::Contact& { return rel(m).contact; });
    retourcodes("Client/Relaties/Relatie/RetourCodes",
                [rel](Message& m) -> model::RetourCodes& { return rel(m).retourcodes; });

    // Contacts (301/302).
    node("Client/Contactgegevens", [](Message& m) -> NodeId& { return m.client.contactgegevens; });
    contact("Client/Contactgegevens/Contact",
            [](Message& m) -> model::Contact& { return m.client.contacten.back(); });
    // The generic contact() registered a node setter for the Contact itself; replace it with one
    // that appends.
    trie[node_for("Client/Contactgegevens/Contact")].open = [](Message& m, NodeId n) {
      m.client.contacten.emplace_back().node = n;
    };

    // Allocations (301/302).
    node("Client/ToegewezenProducten",
         [](Message& m) -> NodeId& { return m.client.toegewezen_producten; });
    const std::string tp = "Client/ToegewezenProducten/ToegewezenProduct";
    on_open(tp, [](Message& m, NodeId n) { m.client.toegewezen.emplace_back().node = n; });
    auto t = [](auto member) {
      return [member](Message& m) -> Text& { return m.client.toegewezen.back().*member; };
    };
    using model::ToegewezenProduct;
    text(tp + "/ToewijzingNummer", t(&ToegewezenProduct::toewijzing_nummer));
    text(tp + "/ReferentieAanbieder", t(&ToegewezenProduct::referentie_aanbieder));
    product(tp + "/Product",
            [](Message& m) -> model::Product& { return m.client.toegewezen.back().product; });
    text(tp + "/Toewijzingsdatum", t(&ToegewezenProduct::toewijzingsdatum));
    text(tp + "/Toewijzingstijd", t(&ToegewezenProduct::toewijzingstijd));
    text(tp + "/Ingangsdatum", t(&ToegewezenProduct::ingangsdatum));
    text(tp + "/Einddatum", t(&ToegewezenProduct::einddatum));
    text(tp + "/RedenWijziging", t(&ToegewezenProduct::reden_wijziging));
    node(tp + "/Omvang",
         [](Message& m) -> NodeId& { return m.client.toegewezen.back().omvang.node; });
    text(tp + "/Omvang/Volume",
         [](Message& m) -> Text& { return m.client.toegewezen.back().omvang.volume; });
    text(tp + "/Omvang/Eenheid",
         [](Message& m) -> Text& { return m.client.toegewezen.back().omvang.eenheid; });
    text(tp + "/Omvang/Frequentie",
         [](Message& m) -> Text& { return m.client.toegewezen.back().omvang.frequentie; });
    text(tp + "/Budget", t(&ToegewezenProduct::budget));
    text(tp + "/Commentaar", t(&ToegewezenProduct::commentaar));
    retourcodes(tp + "/RetourCodes", [](Message& m) -> model::RetourCodes& {
      return m.client.toegewezen.back().retourcodes;
    });

    // Starts (305/306).
    node("Client/StartProducten", [](Message& m) -> NodeId& { return m.client.start_producten; });
    const std::string sp = "Client/StartProducten/StartProduct";
    on_open(sp, [](Message& m, NodeId n) { m.client.starts.emplace_back().node = n; });
    auto s = [](auto member) {
      return [member](Message& m) -> Text& { return m.client.starts.back().*member; };
    };
    using model::StartProduct;
    text(sp + "/ToewijzingNummer", s(&StartProduct::toewijzing_nummer));
    product(sp + "/Product",
            [](Message& m) -> model::Product& { return m.client.starts.back().product; });
    text(sp + "/ToewijzingIngangsdatum", s(&StartProduct::toewijzing_ingangsdatum));
    text(sp + "/Begindatum", s(&StartProduct::begindatum));
    text(sp + "/StatusAanlevering", s(&StartProduct::status_aanlevering));
    retourcodes(sp + "/RetourCodes", [](Message& m) -> model::RetourCodes& {
      return m.client.starts.back().retourcodes;
    });

    // Stops (307/308).
    node("Client/StopProducten", [](Message& m) -> NodeId& { return m.client.stop_producten; });
    const std::string stp = "Client/StopProducten/StopProduct";
    on_open(stp, [](Message& m, NodeId n) { m.client.stops.emplace_back().node = n; });
    auto st = [](auto member) {
      return [member](Message& m) -> Text& { return m.client.stops.back().*member; };
    };
    using model::StopProduct;
    text(stp + "/ToewijzingNummer", st(&StopProduct::toewijzing_nummer));
    product(stp + "/Product",
            [](Message& m) -> model::Product& { return m.client.stops.back().product; });
    text(stp + "/ToewijzingIngangsdatum", st(&StopProduct::toewijzing_ingangsdatum));
    text(stp + "/Begindatum", st(&StopProduct::begindatum));
    text(stp + "/RedenBeeindiging", st(&StopProduct::reden_beeindiging));
    text(stp + "/Einddatum", st(&StopProduct::einddatum));
    text(stp + "/StatusAanlevering", st(&StopProduct::status_aanlevering));
    retourcodes(stp + "/RetourCodes", [](Message& m) -> model::RetourCodes& {
      return m.client.stops.back().retourcodes;
    });

    // Requests for an allocation (315/316).
    node("Client/AangevraagdeProducten",
         [](Message& m) -> NodeId& { return m.client.aangevraagde_producten; });
    const std::string ap = "Client/AangevraagdeProducten/AangevraagdProduct";
    on_open(ap, [](Message& m, NodeId n) { m.client.aangevraagd.emplace_back().node = n; });
    auto apr = [](Message& m) -> model::AangevraagdProduct& { return m.client.aangevraagd.back(); };
    auto a = [apr](auto member) { return [apr, member](Message& m) -> Text& { return apr(m).*member; }; };
    using model::AangevraagdProduct;
    text(ap + "/ReferentieAanbieder", a(&AangevraagdProduct::referentie_aanbieder));
    text(ap + "/BeschikkingNummer", a(&AangevraagdProduct::beschikking_nummer));
    product(ap + "/Product", [apr](Message& m) -> model::Product& { return apr(m).product; });
    text(ap + "/BeschikkingIngangsdatum", a(&AangevraagdProduct::beschikking_ingangsdatum));
    text(ap + "/ToewijzingIngangsdatum", a(&AangevraagdProduct::toewijzing_ingangsdatum));
    text(ap + "/ToewijzingEinddatum", a(&AangevraagdProduct::toewijzing_einddatum));
    omvang(ap + "/Omvang", [apr](Message& m) -> model::Omvang& { return apr(m).omvang; });
    text(ap + "/Budget", a(&AangevraagdProduct::budget));
    node(ap + "/Verwijzer", [apr](Message& m) -> NodeId& { return apr(m).verwijzer.node; });
    text(ap + "/Verwijzer/Type", [apr](Message& m) -> Text& { return apr(m).verwijzer.type; });
    text(ap + "/Verwijzer/ZorgverlenerCode",
         [apr](Message& m) -> Text& { return apr(m).verwijzer.zorgverlener_code; });
    text(ap + "/Verwijzer/Naam", [apr](Message& m) -> Text& { return apr(m).verwijzer.naam; });
    text(ap + "/Raamcontract", a(&AangevraagdProduct::raamcontract));
    text(ap + "/Commentaar", a(&AangevraagdProduct::commentaar));
    retourcodes(ap + "/RetourCodes",
                [apr](Message& m) -> model::RetourCodes& { return apr(m).retourcodes; });

    // Requests for a change (317/318).
    const std::string vz = "Client/Verzoek";
    node(vz, [](Message& m) -> NodeId& { return m.client.verzoek.node; });
    text(vz + "/ReferentieAanbieder",
         [](Message& m) -> Text& { return m.client.verzoek.referentie_aanbieder; });
    text(vz + "/RedenVerzoek", [](Message& m) -> Text& { return m.client.verzoek.reden_verzoek; });
    retourcodes(vz + "/RetourCodes",
                [](Message& m) -> model::RetourCodes& { return m.client.verzoek.retourcodes; });
    node(vz + "/OngewijzigdeProducten",
         [](Message& m) -> NodeId& { return m.client.verzoek.ongewijzigde_producten; });
    const std::string op = vz + "/OngewijzigdeProducten/OngewijzigdProduct";
    on_open(op, [](Message& m, NodeId n) { m.client.verzoek.ongewijzigd.emplace_back().node = n; });
    text(op + "/ToewijzingNummer",
         [](Message& m) -> Text& { return m.client.verzoek.ongewijzigd.back().toewijzing_nummer; });
    retourcodes(op + "/RetourCodes", [](Message& m) -> model::RetourCodes& {
      return m.client.verzoek.ongewijzigd.back().retourcodes;
    });
    node(vz + "/TeWijzigenProducten",
         [](Message& m) -> NodeId& { return m.client.verzoek.te_wijzigen_producten; });
    const std::string twp = vz + "/TeWijzigenProducten/TeWijzigenProduct";
    on_open(twp, [](Message& m, NodeId n) { m.client.verzoek.te_wijzigen.emplace_back().node = n; });
    auto tw = [](Message& m) -> model::TeWijzigenProduct& {
      return m.client.verzoek.te_wijzigen.back();
    };
    text(twp + "/ToewijzingNummer", [tw](Message& m) -> Text& { return tw(m).toewijzing_nummer; });
    text(twp + "/GewensteIngangsdatum",
         [tw](Message& m) -> Text& { return tw(m).gewenste_ingangsdatum; });
    text(twp + "/Einddatum", [tw](Message& m) -> Text& { return tw(m).einddatum; });
    omvang(twp + "/Omvang", [tw](Message& m) -> model::Omvang& { return tw(m).omvang; });
    text(twp + "/Budget", [tw](Message& m) -> Text& { return tw(m).budget; });
    retourcodes(twp + "/RetourCodes",
                [tw](Message& m) -> model::RetourCodes& { return tw(m).retourcodes; });
    node(vz + "/NieuweProducten",
         [](Message& m) -> NodeId& { return m.client.verzoek.nieuwe_producten; });
    const std::string np = vz + "/NieuweProducten/NieuwProduct";
    on_open(np, [](Message& m, NodeId n) { m.client.verzoek.nieuw.emplace_back().node = n; });
    auto nw = [](Message& m) -> model::NieuwProduct& { return m.client.verzoek.nieuw.back(); };
    product(np + "/Product", [nw](Message& m) -> model::Product& { return nw(m).product; });
    text(np + "/GewensteIngangsdatum",
         [nw](Message& m) -> Text& { return nw(m).gewenste_ingangsdatum; });
    text(np + "/Einddatum", [nw](Message& m) -> Text& { return nw(m).einddatum; });
    omvang(np + "/Omvang", [nw](Message& m) -> model::Omvang& { return nw(m).omvang; });
    text(np + "/Budget", [nw](Message& m) -> Text& { return nw(m).budget; });
    retourcodes(np + "/RetourCodes",
                [nw](Message& m) -> model::RetourCodes& { return nw(m).retourcodes; });

    // Answers to a request (319/320).
    node("Antwoord", [](Message& m) -> NodeId& { return m.antwoord.node; });
    text("Antwoord/ReferentieAanbieder",
         [](Message& m) -> Text& { return m.antwoord.referentie_aanbieder; });
    text("Antwoord/VerzoekAntwoord", [](Message& m) -> Text& { return m.antwoord.verzoek_antwoord; });
    text("Antwoord/RedenAfwijzingVerzoek",
         [](Message& m) -> Text& { return m.antwoord.reden_afwijzing_verzoek; });
    // iJw only: the municipality responsible under the woonplaatsbeginsel.
    node("Antwoord/Woonplaatsbeginsel",
         [](Message& m) -> NodeId& { return m.antwoord.woonplaatsbeginsel; });
    text("Antwoord/Woonplaatsbeginsel/Gemeente",
         [](Message& m) -> Text& { return m.antwoord.woonplaatsbeginsel_gemeente; });
    retourcodes("Antwoord/Woonplaatsbeginsel/RetourCodes", [](Message& m) -> model::RetourCodes& {
      return m.antwoord.woonplaatsbeginsel_retourcodes;
    });
    retourcodes("Antwoord/RetourCodes",
                [](Message& m) -> model::RetourCodes& { return m.antwoord.retourcodes; });

    // Declaration (323 `Declaratie`) and its answer (325 `DeclaratieAntwoord`).
    for (const std::string d : {"Declaratie", "DeclaratieAntwoord"}) {
      node(d, [](Message& m) -> NodeId& { return m.declaratie.node; });
      text(d + "/DeclaratieNummer",
           [](Message& m) -> Text& { return m.declaratie.declaratie_nummer; });
      periode(d + "/DeclaratiePeriode",
              [](Message& m) -> model::Periode& { return m.declaratie.declaratie_periode; });
      text(d + "/DeclaratieDagtekening",
           [](Message& m) -> Text& { return m.declaratie.declaratie_dagtekening; });
      bedrag(d + "/TotaalIngediendBedrag", "TotaalBedrag",
             [](Message& m) -> model::BedragMetDC& { return m.declaratie.totaal_ingediend; });
      bedrag(d + "/TotaalToegekendBedrag", "TotaalBedrag",
             [](Message& m) -> model::BedragMetDC& { return m.declaratie.totaal_toegekend; });
      node(d + "/Clienten", [](Message& m) -> NodeId& { return m.declaratie.clienten_node; });
      const std::string c = d + "/Clienten/Client";
      on_open(c, [](Message& m, NodeId n) { m.declaratie.clienten.emplace_back().node = n; });
      text(c + "/Bsn", [](Message& m) -> Text& { return m.declaratie.clienten.back().bsn; });
      node(c + "/Prestaties",
           [](Message& m) -> NodeId& { return m.declaratie.clienten.back().prestaties_node; });
      const std::string p = c + "/Prestaties/Prestatie";
      on_open(p, [](Message& m, NodeId n) {
        m.declaratie.clienten.back().prestaties.emplace_back().node = n;
      });
      auto pr = [](Message& m) -> model::Prestatie& {
        return m.declaratie.clienten.back().prestaties.back();
      };
      node(p + "/ProductReferentie",
           [pr](Message& m) -> NodeId& { return pr(m).product_referentie; });
      text(p + "/ProductReferentie/ReferentieNummer",
           [pr](Message& m) -> Text& { return pr(m).referentie_nummer; });
      text(p + "/ProductReferentie/VorigReferentieNummer",
           [pr](Message& m) -> Text& { return pr(m).vorig_referentie_nummer; });
      text(p + "/ToewijzingNummer", [pr](Message& m) -> Text& { return pr(m).toewijzing_nummer; });
      text(p + "/ProductCategorie", [pr](Message& m) -> Text& { return pr(m).product_categorie; });
      text(p + "/ProductCode", [pr](Message& m) -> Text& { return pr(m).product_code; });
      periode(p + "/ProductPeriode",
              [pr](Message& m) -> model::Periode& { return pr(m).product_periode; });
      text(p + "/GeleverdVolume", [pr](Message& m) -> Text& { return pr(m).geleverd_volume; });
      text(p + "/Eenheid", [pr](Message& m) -> Text& { return pr(m).eenheid; });
      text(p + "/ProductTarief", [pr](Message& m) -> Text& { return pr(m).product_tarief; });
      bedrag(p + "/IngediendBedrag", "Bedrag",
             [pr](Message& m) -> model::BedragMetDC& { return pr(m).ingediend_bedrag; });
      retourcodes(p + "/RetourCodes",
                  [pr](Message& m) -> model::RetourCodes& { return pr(m).retourcodes; });
      retourcodes(c + "/RetourCodes", [](Message& m) -> model::RetourCodes& {
        return m.declaratie.clienten.back().retourcodes;
      });
      retourcodes(d + "/RetourCodes",
                  [](Message& m) -> model::RetourCodes& { return m.declaratie.retourcodes; });
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

void ModelBuilder::start_element(std::string_view local_name, std::uint32_t line,
                                 std::uint32_t column) {
  const Tables& t = tables();
  const auto id = static_cast<NodeId>(m_.nodes.size());
  std::uint32_t trie = kDead;
  if (depth_ == 0) {
    trie = local_name == t.trie[0].name ? 0 : kDead;
  } else if (stack_[depth_ - 1].trie != kDead) {
    trie = t.find_child(stack_[depth_ - 1].trie, local_name);
  }
  model::Node node;
  if (trie != kDead) {
    node.name = t.trie[trie].name;  // static storage: no allocation per element
  } else {
    node.name = m_.extra_names.emplace_back(local_name);
  }
  node.line = line;
  node.column = column;
  if (depth_ > 0) {
    Frame& parent = stack_[depth_ - 1];
    node.parent = parent.node;
    std::uint32_t index = 1;
    bool found = false;
    for (auto& [name, count] : parent.child_counts) {
      if (name == node.name) {
        index = ++count;
        found = true;
        break;
      }
    }
    if (!found) parent.child_counts.emplace_back(node.name, 1u);
    node.index = index;
    parent.children.push_back(id);
  }
  m_.nodes.push_back(node);

  if (depth_ == stack_.size()) stack_.emplace_back();
  Frame& f = stack_[depth_++];
  f.node = id;
  f.trie = trie;
  f.child_counts.clear();
  f.children.clear();
  text_.clear();
  collect_ = trie != kDead && static_cast<bool>(t.trie[trie].fill);
  if (trie != kDead && t.trie[trie].open) t.trie[trie].open(m_, id);
}

void ModelBuilder::characters(std::string_view utf8) {
  if (collect_) text_.append(utf8);
}

void ModelBuilder::end_element() {
  if (depth_ == 0) return;
  Frame& frame = stack_[depth_ - 1];
  // Siblings with the same name get an index in paths; only now do we know who has them.
  if (frame.child_counts.size() < frame.children.size()) {
    for (NodeId child : frame.children) {
      const std::string_view name = m_.nodes[child].name;
      for (const auto& [n, count] : frame.child_counts) {
        if (n == name) {
          m_.nodes[child].has_same_name_siblings = count > 1;
          break;
        }
      }
    }
  }
  if (frame.trie != kDead && collect_) {
    const auto& fill = tables().trie[frame.trie].fill;
    fill(m_, Text{text_, frame.node});
  }
  text_.clear();
  collect_ = false;
  --depth_;
}

}  // namespace istd::xml
