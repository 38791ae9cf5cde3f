// The ledger's requests and answers (design in ledger.hpp: tables requests and answers): what a
// provider asked for with a 315 or 317, what the gemeente answered with a 319, and whether a
// 301 honoured it (an allocation version carrying the request's ReferentieAanbieder).
#include <map>
#include <string>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/ledger/ledger_impl.hpp"
#include "core/ledger/rows.hpp"

namespace istd::ledger {


void Ledger::add_request(const RequestRecord& r) {
  impl_
      ->prepare(
          "INSERT INTO requests(message_id, type, gemeente, agb, bsn, referentie, dagtekening, "
          "summary, domain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, :domain)")
      .bind_all(r.message_id, r.type, r.gemeente, r.agb, r.bsn, r.referentie, r.dagtekening,
                r.summary)
      .exec();
}

void Ledger::add_answer(const AnswerRecord& a) {
  impl_
      ->prepare(
          "INSERT INTO answers(message_id, gemeente, agb, referentie, verzoek_antwoord, reden, "
          "dagtekening, domain) VALUES (?, ?, ?, ?, ?, ?, ?, :domain)")
      .bind_all(a.message_id, a.gemeente, a.agb, a.referentie, a.verzoek_antwoord, a.reden,
                a.dagtekening)
      .exec();
}

std::vector<RequestRecord> Ledger::requests_with_reference(std::string_view agb,
                                                           std::string_view referentie) const {
  std::vector<RequestRecord> out;
  auto s = impl_->prepare(std::string("SELECT ") + kRequestColumns +
                          " FROM requests r JOIN messages m ON m.id = r.message_id "
                          "WHERE r.agb = ? AND r.referentie = ? AND r.domain = :domain "
                          "ORDER BY r.id");
  s.bind_all(agb, referentie);
  while (s.step()) out.push_back(request_from(s));
  return out;
}

std::vector<AnswerRecord> Ledger::answers_of_reference(std::string_view agb,
                                                       std::string_view referentie) const {
  std::vector<AnswerRecord> out;
  auto s = impl_->prepare(std::string("SELECT ") + kAnswerColumns +
                          " FROM answers a JOIN messages m ON m.id = a.message_id "
                          "WHERE a.agb = ? AND a.referentie = ? AND a.domain = :domain "
                          "ORDER BY a.id");
  s.bind_all(agb, referentie);
  while (s.step()) out.push_back(answer_from(s));
  return out;
}

bool Ledger::reference_allocated(std::string_view agb, std::string_view referentie) const {
  auto s = impl_->prepare(
      "SELECT 1 FROM allocation_versions WHERE agb = ? AND referentie_aanbieder = ? AND "
      "domain = :domain LIMIT 1");
  s.bind_all(agb, referentie);
  return s.step();
}

std::vector<RequestStatus> Ledger::requests_of_client(std::string_view gemeente,
                                                      std::string_view agb,
                                                      std::string_view bsn) const {
  auto prepare = [this](const std::string& sql) { return impl_->prepare(sql); };
  return request_statuses_where(prepare, ":domain", "r.gemeente = ?1 AND r.agb = ?2 AND r.bsn = ?3",
                                gemeente, agb, bsn);
}

std::vector<RequestStatus> Ledger::requests_of_bsn(std::string_view bsn) const {
  auto prepare = [this](const std::string& sql) { return impl_->prepare(sql); };
  return request_statuses_where(prepare, ":domain", "r.bsn = ?1", bsn);
}

std::vector<RequestStatus> Ledger::request_statuses(std::string_view party) const {
  auto prepare = [this](const std::string& sql) { return impl_->prepare(sql); };
  if (party.empty()) return request_statuses_where(prepare, ":domain", "");
  return request_statuses_where(prepare, ":domain", "r.gemeente = ?1 OR r.agb = ?1", party);
}

}  // namespace istd::ledger
