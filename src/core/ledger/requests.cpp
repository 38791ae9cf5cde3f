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
          "INSERT INTO requests(id, message_id, type, gemeente, agb, bsn, referentie, "
          "dagtekening, summary, gezagsdrager_bekend, domain) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, :domain)")
      .bind_all(impl_->take_id(Impl::Numbered::requests), r.message_id, r.type, r.gemeente, r.agb,
                r.bsn, r.referentie, r.dagtekening, r.summary, r.gezagsdrager_bekend)
      .exec();
}

void Ledger::add_answer(const AnswerRecord& a) {
  impl_
      ->prepare(
          "INSERT INTO answers(id, message_id, gemeente, agb, referentie, verzoek_antwoord, "
          "reden, dagtekening, woonplaatsbeginsel_gemeente, domain) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, :domain)")
      .bind_all(impl_->take_id(Impl::Numbered::answers), a.message_id, a.gemeente, a.agb,
                a.referentie, a.verzoek_antwoord, a.reden, a.dagtekening,
                a.woonplaatsbeginsel_gemeente)
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

bool Ledger::gezagsdrager_known(std::string_view agb, std::string_view bsn,
                                std::string_view referentie) const {
  auto s = impl_->prepare(
      "SELECT 1 FROM requests WHERE agb = ? AND bsn = ? AND referentie = ? AND "
      "gezagsdrager_bekend = '1' AND domain = :domain LIMIT 1");
  s.bind_all(agb, bsn, referentie);
  return s.step();
}

std::optional<WoonplaatsbeginselAnswer> Ledger::last_woonplaatsbeginsel(
    std::string_view agb, std::string_view bsn) const {
  auto s = impl_->prepare(
      "SELECT a.message_id, a.gemeente, a.woonplaatsbeginsel_gemeente, a.referentie, "
      "a.dagtekening FROM answers a WHERE a.agb = ?1 AND a.woonplaatsbeginsel_gemeente IS NOT "
      "NULL AND EXISTS (SELECT 1 FROM requests r WHERE r.agb = a.agb AND r.referentie = "
      "a.referentie AND r.bsn = ?2 AND r.domain = a.domain) AND a.domain = :domain "
      "ORDER BY a.id DESC LIMIT 1");
  s.bind_all(agb, bsn);
  if (!s.step()) return std::nullopt;
  return WoonplaatsbeginselAnswer{s.i64(0), s.text(1), s.text(2), s.text(3), s.text(4)};
}

bool Ledger::request_since(std::string_view agb, std::string_view bsn, MessageId after,
                           MessageId except) const {
  auto s = impl_->prepare(
      "SELECT 1 FROM requests WHERE agb = ? AND bsn = ? AND message_id > ? AND message_id <> ? "
      "AND domain = :domain LIMIT 1");
  s.bind_all(agb, bsn, after, except);
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
