#include "server/ledger_intake.hpp"

#include <cctype>
#include <limits>
#include <optional>
#include <string>

#include "core/ledger/ledger.hpp"
#include "core/ledger/reader.hpp"

namespace istd::server {

namespace {

// The name a posted message is stored and routed under (`istd ingest` uses the file's name): its
// Afzender and BerichtIdentificatie, which TR056 makes unique per sender. Characters a file name
// should not hold become '_' (the header values are XSD-checked; this only guards the path).
std::string posted_name(const model::Message& m) {
  std::string name = m.header.afzender.value + "-" + m.header.identificatie.value;
  for (char& c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) c = '_';
  return name + ".xml";
}

}  // namespace

struct LedgerIntake::Impl {
  std::shared_ptr<const SchemaBundle> schemas;
  ingest::Options options;
  std::function<model::Date()> today;
  ledger::Ledger ledger;
  std::optional<ingest::Ingestor> ingestor;
  // Listing reads on a read-only connection of its own (ledger::Reader); the rows it lists are
  // then read through `ledger`.
  std::optional<ledger::Reader> reader;
  // Set when a message failed (a full disk, say): the next one first writes the files that
  // earlier, committed messages still lack, as a restart would.
  bool recover_first = false;

  Impl(const std::filesystem::path& db, std::shared_ptr<const SchemaBundle> s, ingest::Options o,
       std::function<model::Date()> t)
      : schemas(std::move(s)), options(std::move(o)), today(std::move(t)), ledger(db) {
    // Never committed by the batch size: submit_all() commits each group.
    options.batch_size = std::numeric_limits<std::size_t>::max();
    options.keep_retour = true;  // the answer carries the retour
    options.durable_commits = true;  // a 202 promises the message survives a power cut
    ingestor.emplace(ledger, schemas, options);
    ingestor->recover();
    reader.emplace(db);
  }
};

LedgerIntake::LedgerIntake(const std::filesystem::path& db,
                           std::shared_ptr<const SchemaBundle> schemas, ingest::Options options,
                           std::function<model::Date()> today)
    : impl_(std::make_unique<Impl>(db, std::move(schemas), std::move(options), std::move(today))) {}

LedgerIntake::~LedgerIntake() = default;

IntakeResult LedgerIntake::submit(std::string_view bytes, ValidationResult result) {
  std::vector<Submission> one(1);
  one[0].input = ingest::prepare(bytes);
  one[0].result = std::move(result);
  return std::move(submit_all(one).front());
}

std::vector<IntakeResult> LedgerIntake::submit_all(std::vector<Submission>& batch) {
  auto& im = *impl_;
  try {
    if (im.today) {
      const model::Date d = im.today();
      if (!(d == im.options.today)) {
        if (im.ingestor) im.ingestor->flush();
        im.ingestor.reset();
        im.options.today = d;
      }
    }
    if (!im.ingestor) im.ingestor.emplace(im.ledger, im.schemas, im.options);
    if (im.recover_first) {
      im.ingestor->recover();
      im.recover_first = false;
    }
    std::vector<IntakeResult> out;
    out.reserve(batch.size());
    for (auto& s : batch) {
      if (s.result.message) s.result.source = posted_name(*s.result.message);
      out.push_back(im.ingestor->process(std::move(s.input), std::move(s.result)));
    }
    // One commit for the group (a duplicate included); the files are written by the
    // ingestor's file thread and flagged materialised in the next transaction (or by close()).
    im.ingestor->commit();
    return out;
  } catch (...) {
    // Drop whatever the group left uncommitted (as a crash would): none of it is stored, and
    // every message of the group is answered with the error. The next group makes a new
    // ingestor (making it here could fail on the same full disk) and first writes the files
    // earlier messages still lack.
    im.ingestor.reset();
    im.recover_first = true;
    throw;
  }
}

std::vector<StoredMessage> LedgerIntake::list_for(const std::string& party, const Since& since,
                                                  std::size_t limit) {
  auto& im = *impl_;
  std::vector<StoredMessage> out;
  for (auto& r : im.reader->routed_to(party, since.after_id, since.from_time, limit)) {
    StoredMessage m;
    m.id = r.id;
    m.received_at = std::move(r.received_at);
    out.push_back(std::move(m));
  }
  for (auto& m : out) {
    ledger::MessageRecord rec = im.ledger.message(m.id);
    m.role = rec.role == ledger::Role::output ? "output" : "input";
    m.type = rec.type;
    m.afzender = rec.afzender;
    m.ontvanger = rec.ontvanger;
    m.identificatie = rec.identificatie;
    m.dagtekening = rec.dagtekening;
    m.verdict = std::string(ledger::to_string(rec.verdict));
    m.reply_to = rec.reply_to;
    m.bytes = std::move(rec.bytes);
  }
  return out;
}
void LedgerIntake::close() {
  if (impl_->ingestor) impl_->ingestor->flush();
}

}  // namespace istd::server
