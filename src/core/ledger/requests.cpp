// The ledger's requests and answers (design in ledger.hpp: tables requests and answers): what a
// provider asked for with a 315 or 317, what the gemeente answered with a 319, and whether a
// 301 honoured it (an allocation version carrying the request's ReferentieAanbieder).
#include <map>
#include <string>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/ledger/ledger_impl.hpp"

namespace istd::ledger {

namespace {

constexpr const char* kRequestColumns =
    "r.id, r.message_id, r.type, r.gemeente, r.agb, r.bsn, r.referentie, r.dagtekening, "
    "r.summary, m.identificatie";

RequestRecord request_from(const Stmt& s) {
  RequestRecord r;
  r.id = s.i64(0);
  r.message_id = s.i64(1);
  r.type = s.text(2);
  r.gemeente = s.text(3);
  r.agb = s.text(4);
  r.bsn = s.text(5);
  r.referentie = s.text(6);
  r.dagtekening = s.text(7);
  r.summary = s.text(8);
  r.identificatie = s.text(9);
  return r;
}

constexpr const char* kAnswerColumns =
    "a.id, a.message_id, a.gemeente, a.agb, a.referentie, a.verzoek_antwoord, a.reden, "
    "a.dagtekening, m.identificatie";

AnswerRecord answer_from(const Stmt& s) {
  AnswerRecord a;
  a.id = s.i64(0);
  a.message_id = s.i64(1);
  a.gemeente = s.text(2);
  a.agb = s.text(3);
  a.referentie = s.text(4);
  a.verzoek_antwoord = s.text(5);
  a.reden = s.opt_text(6);
  a.dagtekening = s.text(7);
  a.identificatie = s.text(8);
  return a;
}

}  // namespace

void Ledger::add_request(const RequestRecord& r) {
  impl_
      ->prepare(
          "INSERT INTO requests(message_id, type, gemeente, agb, bsn, referentie, dagtekening, "
          "summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(r.message_id, r.type, r.gemeente, r.agb, r.bsn, r.referentie, r.dagtekening,
                r.summary)
      .exec();
}

void Ledger::add_answer(const AnswerRecord& a) {
  impl_
      ->prepare(
          "INSERT INTO answers(message_id, gemeente, agb, referentie, verzoek_antwoord, reden, "
          "dagtekening) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(a.message_id, a.gemeente, a.agb, a.referentie, a.verzoek_antwoord, a.reden,
                a.dagtekening)
      .exec();
}

std::vector<RequestRecord> Ledger::requests_with_reference(std::string_view agb,
                                                           std::string_view referentie) const {
  std::vector<RequestRecord> out;
  auto s = impl_->prepare(std::string("SELECT ") + kRequestColumns +
                          " FROM requests r JOIN messages m ON m.id = r.message_id "
                          "WHERE r.agb = ? AND r.referentie = ? ORDER BY r.id");
  s.bind_all(agb, referentie);
  while (s.step()) out.push_back(request_from(s));
  return out;
}

std::vector<AnswerRecord> Ledger::answers_of_reference(std::string_view agb,
                                                       std::string_view referentie) const {
  std::vector<AnswerRecord> out;
  auto s = impl_->prepare(std::string("SELECT ") + kAnswerColumns +
                          " FROM answers a JOIN messages m ON m.id = a.message_id "
                          "WHERE a.agb = ? AND a.referentie = ? ORDER BY a.id");
  s.bind_all(agb, referentie);
  while (s.step()) out.push_back(answer_from(s));
  return out;
}

bool Ledger::reference_allocated(std::string_view agb, std::string_view referentie) const {
  auto s = impl_->prepare(
      "SELECT 1 FROM allocation_versions WHERE agb = ? AND referentie_aanbieder = ? LIMIT 1");
  s.bind_all(agb, referentie);
  return s.step();
}

namespace {

/// Fills answers and the honouring allocation of each request; `prepare` makes a statement.
template <typename Prepare>
void complete(Prepare prepare, std::vector<RequestStatus>& out) {
  auto answers = prepare(std::string("SELECT ") + kAnswerColumns +
                         " FROM answers a JOIN messages m ON m.id = a.message_id "
                         "WHERE a.agb = ? AND a.referentie = ? ORDER BY a.id");
  auto alloc = prepare(
      std::string("SELECT v.toewijzing_nummer, m.identificatie, m.dagtekening FROM allocation_versions v "
      "JOIN messages m ON m.id = v.message_id WHERE v.agb = ? AND v.referentie_aanbieder = ? "
      "ORDER BY v.id LIMIT 1"));
  for (auto& st : out) {
    answers.reset().bind_all(st.request.agb, st.request.referentie);
    while (answers.step()) st.answers.push_back(answer_from(answers));
    alloc.reset().bind_all(st.request.agb, st.request.referentie);
    if (alloc.step()) {
      st.toewijzing_nummer = alloc.i64(0);
      st.allocation_identificatie = alloc.text(1);
      st.allocation_dagtekening = alloc.text(2);
    }
  }
}

}  // namespace

std::vector<RequestStatus> Ledger::requests_of_client(std::string_view gemeente,
                                                      std::string_view agb,
                                                      std::string_view bsn) const {
  std::vector<RequestStatus> out;
  auto s = impl_->prepare(std::string("SELECT ") + kRequestColumns +
                          " FROM requests r JOIN messages m ON m.id = r.message_id "
                          "WHERE r.gemeente = ? AND r.agb = ? AND r.bsn = ? ORDER BY r.id");
  s.bind_all(gemeente, agb, bsn);
  while (s.step()) out.push_back({request_from(s), {}, std::nullopt, {}, {}});
  complete([this](const std::string& text) { return impl_->prepare(text); }, out);
  return out;
}

std::vector<RequestStatus> Ledger::request_statuses(std::string_view party) const {
  std::vector<RequestStatus> out;
  std::string sql = std::string("SELECT ") + kRequestColumns +
                    " FROM requests r JOIN messages m ON m.id = r.message_id";
  if (!party.empty()) sql += " WHERE r.gemeente = ?1 OR r.agb = ?1";
  sql += " ORDER BY r.id";
  auto s = impl_->prepare(sql);
  if (!party.empty()) s.bind(1, party);
  while (s.step()) out.push_back({request_from(s), {}, std::nullopt, {}, {}});
  complete([this](const std::string& text) { return impl_->prepare(text); }, out);
  return out;
}

}  // namespace istd::ledger
