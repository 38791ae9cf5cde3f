#include "core/reconcile/answer_325.hpp"

#include <algorithm>
#include <map>

#include "core/model.hpp"
#include "core/rules/rules.hpp"
#include "core/util/xml_writer.hpp"

namespace istd::reconcile {

namespace {

void codes(util::XmlWriter& w, const std::string& p, const std::vector<std::string>& cs) {
  w.open(p + ":RetourCodes");
  for (const auto& c : cs) w.leaf(p + ":RetourCode", c);
  w.close();
}

void bedrag(util::XmlWriter& w, const std::string& p, const std::string& b, const char* name,
            std::int64_t signed_amount) {
  w.open(p + ":" + name);
  w.leaf(b + ":TotaalBedrag", std::to_string(signed_amount < 0 ? -signed_amount : signed_amount));
  w.leaf(b + ":DebetCredit", signed_amount < 0 ? "C" : "D");
  w.close();
}

}  // namespace

std::string build_325(const Declaration& d, const std::vector<Line>& lines, const Judgement& j,
                      const AnswerHeader& h) {
  const auto type = model::type_of(h.standard, 325);
  const std::string p = h.standard == model::Standard::iwmo ? "wmo325" : "jw325";
  const std::string b = h.standard == model::Standard::iwmo ? "iwmo" : "ijw";
  util::XmlWriter w;
  w.open(p + ":Bericht", {{"xmlns:" + p, model::namespace_of(type)},
                          {"xmlns:" + b, std::string(model::basisschema_namespace(h.standard))}});
  w.open(p + ":Header");
  w.leaf(p + ":BerichtCode", model::bericht_code(type));
  w.leaf(p + ":BerichtVersie", "3");
  w.leaf(p + ":BerichtSubversie", "2");
  w.leaf(p + ":Afzender", d.gemeente);
  w.leaf(p + ":Ontvanger", d.agb);
  w.open(p + ":BerichtIdentificatie");
  w.leaf(b + ":Identificatie", h.identificatie);
  w.leaf(b + ":Dagtekening", h.dagtekening);
  w.close();
  w.open(p + ":XsdVersie");
  w.leaf(b + ":BasisschemaXsdVersie", h.xsd_basis);
  w.leaf(b + ":BerichtXsdVersie", h.xsd_bericht);
  w.close();
  w.open(p + ":DeclaratieIdentificatie");
  w.leaf(b + ":Identificatie", d.identificatie);
  w.leaf(b + ":Dagtekening", d.dagtekening);
  w.close();
  const bool xslt = !j.header_codes.empty() && j.header_codes.front() == "0001";
  if (xslt) w.leaf(p + ":XsltVersie", rules::kXsltVersie);
  w.open(p + ":XsdVersieDeclaratie");
  w.leaf(b + ":BasisschemaXsdVersie", d.xsd_basis);
  w.leaf(b + ":BerichtXsdVersie", d.xsd_bericht);
  w.close();
  codes(w, p, j.header_codes.empty() ? std::vector<std::string>{"0200"} : j.header_codes);
  w.close();  // Header
  if (!j.header_codes.empty()) return w.finish();

  w.open(p + ":DeclaratieAntwoord");
  w.leaf(p + ":DeclaratieNummer", d.nummer);
  bedrag(w, p, b, "TotaalIngediendBedrag", d.signed_totaal());
  bedrag(w, p, b, "TotaalToegekendBedrag", j.declaratie_hits.empty() ? j.toegekend : 0);
  if (j.declaratie_hits.empty()) {
    // Clients with a finding, in order of first appearance; their rejected lines.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::size_t>> rejected;
    std::vector<std::size_t> doc(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) doc[i] = i;
    std::stable_sort(doc.begin(), doc.end(), [&](std::size_t x, std::size_t y) {
      return lines[x].position < lines[y].position;
    });
    for (std::size_t i : doc) {
      if (j.lines[i].approved) continue;
      auto& v = rejected[lines[i].bsn];
      if (v.empty()) order.push_back(lines[i].bsn);
      v.push_back(i);
    }
    if (!order.empty()) {
      w.open(p + ":Clienten");
      for (const auto& bsn : order) {
        w.open(p + ":Client");
        w.leaf(p + ":Bsn", bsn);
        w.open(p + ":Prestaties");
        for (std::size_t i : rejected[bsn]) {
          const Line& l = lines[i];
          w.open(p + ":Prestatie");
          w.open(p + ":ProductReferentie");
          w.leaf(b + ":ReferentieNummer", l.referentie);
          if (l.vorig) w.leaf(b + ":VorigReferentieNummer", *l.vorig);
          w.close();
          w.leaf(p + ":ToewijzingNummer", std::to_string(l.nummer));
          w.leaf(p + ":ProductCategorie", l.categorie);
          w.leaf(p + ":ProductCode", l.code);
          w.open(p + ":ProductPeriode");
          w.leaf(b + ":Begindatum", l.begin_text.empty() ? l.begin.to_string() : l.begin_text);
          w.leaf(b + ":Einddatum", l.eind_text.empty() ? l.eind.to_string() : l.eind_text);
          w.close();
          w.leaf(p + ":GeleverdVolume", std::to_string(l.volume));
          w.leaf(p + ":Eenheid", l.eenheid);
          if (l.tarief) w.leaf(p + ":ProductTarief", std::to_string(*l.tarief));
          w.open(p + ":IngediendBedrag");
          w.leaf(b + ":Bedrag", std::to_string(l.bedrag));
          w.leaf(b + ":DebetCredit", l.credit ? "C" : "D");
          w.close();
          codes(w, p, j.lines[i].codes());
          w.close();  // Prestatie
        }
        w.close();  // Prestaties
        std::vector<std::string> cc;
        if (auto it = j.client_hits.find(bsn); it != j.client_hits.end())
          for (const auto& hit : it->second) cc.push_back(hit.code);
        codes(w, p, cc.empty() ? std::vector<std::string>{"0200"} : cc);
        w.close();  // Client
      }
      w.close();  // Clienten
    }
  }
  codes(w, p, j.answer_codes());
  w.close();  // DeclaratieAntwoord
  return w.finish();
}

bool tr342_consistent(const Declaration& d, const std::vector<Line>& lines, const Judgement& j) {
  if (!j.header_codes.empty()) return true;
  if (!j.declaratie_hits.empty()) return true;  // Toegekend written as 0
  std::int64_t rejected = 0;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!j.lines[i].approved) rejected += lines[i].signed_bedrag();
  return d.signed_totaal() - j.toegekend == rejected;
}

std::vector<std::vector<std::string>> check_received_325(const std::vector<Line>& sent,
                                                         const std::vector<Line>& listed) {
  std::vector<std::vector<std::string>> out;
  for (const Line& l : listed) {
    std::vector<std::string> codes;
    const Line* match = nullptr;
    for (const Line& s : sent)
      if (s.referentie == l.referentie) match = &s;
    if (!match) {
      codes.push_back("9366");
    } else {
      if (match->bsn != l.bsn) codes.push_back("8187");
      const bool same = match->vorig == l.vorig && match->nummer == l.nummer &&
                        match->categorie == l.categorie && match->code == l.code &&
                        match->begin == l.begin && match->eind == l.eind &&
                        match->volume == l.volume && match->eenheid == l.eenheid &&
                        match->tarief == l.tarief && match->bedrag == l.bedrag &&
                        match->credit == l.credit;
      if (!same) codes.push_back("9367");
    }
    out.push_back(std::move(codes));
  }
  return out;
}

}  // namespace istd::reconcile
