// istd ingest: validate, judge against the ledger, record, answer (306/308/302) and route.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <span>

#include "cli/engine_option.hpp"
#include "cli/background_sink.hpp"
#include "cli/clock.hpp"
#include "cli/command.hpp"
#include "cli/ledger_option.hpp"
#include "cli/commands.hpp"
#include "cli/fault.hpp"
#include "cli/inputs.hpp"
#include "cli/parallel.hpp"
#include "cli/progress.hpp"
#include "core/errors.hpp"
#include "core/ingest/ingest.hpp"
#include "core/ledger/ledger.hpp"
#include "core/report/batch_report.hpp"
#include "core/report/report.hpp"
#include "core/output/atomic_file.hpp"
#include "core/util/read_file.hpp"
#include "core/util/thread_priority.hpp"
#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::cli {
namespace {

struct Report {
  ingest::Outcome outcome;
  std::string error;  // the input could not be read: outcome.result.source names it
};

struct Item {
  std::string bytes;
  std::int64_t hash = 0;  // ledger::content_hash(bytes), computed off the ledger thread
  ledger::Packed packed;  // ledger::pack(bytes), likewise
  ValidationResult result;
  std::string error;  // input could not be read at all
  // An input over the size limit, not held in memory: the open file (or standard input spooled
  // to a temporary file), its size and hash.
  util::UniqueFd large;
  std::uint64_t large_size = 0;
};

/// content_hash of the first `size` bytes of `fd`, read in pieces; "" or what went wrong.
std::string hash_file(int fd, std::uint64_t size, std::int64_t* hash) {
  ledger::ContentHasher h;
  std::string buf(static_cast<std::size_t>(std::min<std::uint64_t>(size, 1u << 20)), '\0');
  for (std::uint64_t at = 0; at < size;) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(size - at, buf.size()));
    const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fmt::format("cannot read the file: {}", std::strerror(errno));
    if (n == 0) return "the file could not be read completely (changed while reading?)";
    h.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    at += static_cast<std::uint64_t>(n);
  }
  *hash = h.value();
  return {};
}

class CommandIngest : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Take in iWmo 3.2 (Wmo) and iJw 3.2 (Jeugdwet) messages, also mixed in one batch: "
        "validate each one (XSD and message rules), judge it against the ledger "
        "(cross-message rules for 301/305/307 and for the requests and answers 315/317/319, "
        "docs/ingest.md; Wmo and Jeugd are kept apart), record it, answer every received "
        "message with its retour (305/307/315/317 with 306/308/316/318 at a gemeente; 301/319 "
        "with 302/320 at a provider), and route inputs and retours to DIR/<party>/<type>/ "
        "(WMO305, JW305, ...). Invalid input "
        "goes to DIR/quarantine/ with a .reason file. 323s are recorded for `istd reconcile`.\n"
        "Messages are processed in the order given (directories: their *.xml files in path "
        "order). Rerunning the same command after a crash completes the work without "
        "doubling anything; an exact re-delivery is reported as a duplicate.\n\n"
        "A file over --max-size is quarantined unread, byte for byte. An input that cannot be "
        "read (gone, not a regular file, unreadable) is reported by name and the run goes on; "
        "nothing is recorded for it.\n\n"
        "Exit status: 0 every message accepted, 1 some message rejected or quarantined or some "
        "input could not be read, 2 usage or configuration error, 3 runtime failure (I/O, "
        "database).");
    app.footer(
        "Examples:\n"
        "  istd ingest --db ledger.db --out uit/ inbox/\n"
        "  istd ingest --db ledger.db --out uit/ --taakgericht 12345678 inbox/2025-06/");
    app.add_option("paths", paths_,
                   "Message files, directories (all *.xml below them, in path order) or - for "
                   "standard input")
        ->required();
    add_ledger_option(app, db_, false);
    app.add_option("--out", out_,
                   "Output tree: inputs and retours are written to DIR/<party>/<WMOxxx>/, "
                   "rejected input to DIR/quarantine/. Without it nothing is written (the "
                   "ledger remembers the routes; a later run with --out writes them)");
    app.add_option("--format", format_,
                   "Output: text (one line per message and its findings, then a summary) or "
                   "json (JSON Lines: validate's fields plus id (ledger row), verdict, accepted, "
                   "duplicate, quarantined, route, retour_route, and retour (= retour_route), as "
                   "`istd serve` answers)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    app.add_option("--side", side_,
                   "Where istd runs: gemeente (own 301/319 are recorded and refused before "
                   "sending when a rule fails; received 305/307/315/317 get 306/308/316/318) or "
                   "aanbieder (own 305/307/315/317 are recorded; a received 301 gets a 302, a "
                   "319 a 320)")
        ->check(CLI::IsMember({"gemeente", "aanbieder"}))
        ->capture_default_str();
    app.add_option("--taakgericht", taakgericht_,
                   "AGB code of a provider working taakgericht (repeatable or comma-separated): "
                   "its StartProduct/StopProduct without ToewijzingNummer is accepted (no "
                   "9019) and matched by Product instead. Default: none")
        ->delimiter(',')
        ->check(CLI::Validator(
            [](std::string& v) {
              if (v.size() != 8 || v.find_first_not_of("0123456789") != std::string::npos)
                return std::string("an AGB code is 8 digits: ") + v;
              return std::string();
            },
            "AGB"));
    app.add_option("--rejected-301", rejected_301_,
                   "Side gemeente: a received 302 with a retourcode other than 0200 takes the own "
                   "301 it answers out of force (withdraw: its allocations no longer count) or "
                   "leaves it in force (keep)")
        ->check(CLI::IsMember({"withdraw", "keep"}))
        ->capture_default_str();
    app.add_option("--gezagsdrager-warning", gezagsdrager_warning_,
                   "Jeugdwet: warn (GEZAGSDRAGER-MISSING) on a JW301 for a client under 16 that "
                   "names no parent or guardian (Relatie Soort 10 or 11) and honours no JW315 "
                   "with GezagsdragerBekend 1 (on or off)")
        ->check(CLI::IsMember({"on", "off"}))
        ->capture_default_str();
    app.add_option("--woonplaatsbeginsel-warning", woonplaatsbeginsel_warning_,
                   "Jeugdwet: warn (WOONPLAATSBEGINSEL) on a JW315 that follows a refusal naming "
                   "another gemeente under the woonplaatsbeginsel but is sent to a different "
                   "gemeente (on or off)")
        ->check(CLI::IsMember({"on", "off"}))
        ->capture_default_str();
    app.add_option("--today", today_,
                   "The date of receipt, YYYY-MM-DD, for testing or back-dating (TR135, "
                   "DagtekeningRetour). Default: $ISTD_TODAY, else today in Europe/Amsterdam");
    app.add_option("--standard", standard_,
                   "Take only messages of one standard: wmo (iWmo 3.2) or jw (iJw 3.2); the "
                   "others get finding STANDARD and are not processed. Default: both")
        ->check(CLI::IsMember({"wmo", "jw"}));
    app.add_option("--schemas", schemas_,
                   "Directory with the XSD bundle (one subdirectory per standard, or one "
                   "standard's XSDs). Default: the bundled iWmo 3.2 and iJw 3.2 schemas")
        ->check(CLI::ExistingDirectory);
    add_engine_option(app, engine_);
    app.add_option("-j,--jobs", jobs_,
                   "Validation threads working ahead of the single ledger writer (0 = one per "
                   "core)")
        ->check(CLI::Range(0, 256))
        ->capture_default_str();
    app.add_option("--helper-priority", helper_priority_,
                   "How the helper threads (validation, file writing, printing) share the "
                   "machine with the ledger writer. idle: they use only cores nothing else "
                   "needs, so the ledger writer (and a PostgreSQL ledger's server) never waits "
                   "for them; fastest when istd has the machine to itself. low: a lower "
                   "priority (nice +5) that keeps them a share of cores other programs keep "
                   "busy; use it when other work fills every core and the run crawls")
        ->check(CLI::IsMember({"idle", "low"}))
        ->capture_default_str();
    app.add_option("--batch", batch_,
                   "Messages per ledger transaction (a crash loses at most one uncommitted "
                   "batch, which a rerun redoes)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app.add_option("--max-size", max_size_, "Largest message accepted (examples: 25M, 512K)")
        ->capture_default_str();
    app.add_flag("-q,--quiet", quiet_,
                 "No progress line on standard error; with --format text print only the "
                 "summary");
    app.add_option("--report", report_,
                   "Also write an HTML report of the batch to FILE (one self-contained page: "
                   "messages per type and outcome, every finding grouped by code with its "
                   "explanation, the rejected messages and their retours)");
    app.add_option("--lang", lang_, "Language of the --report page: nl (Dutch) or en (English)")
        ->check(CLI::IsMember({"nl", "en"}))
        ->capture_default_str();
  }

  int run() override {
    ValidateOptions vopt;
    if (!standard_.empty()) vopt.standard = model::standard_from_key(standard_);
    vopt.max_message_bytes = parse_size(max_size_);
    vopt.engine = engine_named(engine_);

    ingest::Options iopt;
    iopt.side = side_ == "aanbieder" ? ingest::Side::aanbieder : ingest::Side::gemeente;
    iopt.today = resolve_today(today_);
    // By default the validation, file and printer threads take only the cores that the ledger
    // thread (the serial stage) and a PostgreSQL server answering it leave: those two wait for
    // each other, and a wake-up that finds the cores taken by helpers delays both. Every queue
    // between the threads is bounded, so a ledger thread that waits for its helpers leaves
    // them its core; only other programs that fill every core starve them (--helper-priority
    // low).
    iopt.helpers.idle = helper_priority_ == "idle";
    iopt.out_dir = out_;
    iopt.batch_size = static_cast<std::size_t>(batch_);
    iopt.taakgericht.insert(taakgericht_.begin(), taakgericht_.end());
    iopt.rejected_301 =
        rejected_301_ == "keep" ? ingest::Rejected301::keep : ingest::Rejected301::withdraw;
    iopt.gezagsdrager_warning = gezagsdrager_warning_ == "on";
    iopt.woonplaatsbeginsel_warning = woonplaatsbeginsel_warning_ == "on";
    // Fault injection for the crash tests: end the process at the N-th durability point. Files
    // are then written in line so the points come in a reproducible order.
    if (auto fault = fault_after_from_env()) {
      iopt.background_files = false;
      iopt.durability_point = std::move(fault);
    }

    auto bundle = std::make_shared<const SchemaBundle>(SchemaBundle::load(
        schemas_.empty() ? SchemaBundle::default_dir() : std::filesystem::path(schemas_)));
    prepare_engine(bundle, vopt, "ingest");

    ledger::Ledger ledger(db_);
    ingest::Ingestor ingestor(ledger, bundle, iopt);
    ingestor.recover();

    const auto inputs = collect_inputs(paths_);
    unsigned jobs = jobs_ == 0 ? std::max(1u, std::thread::hardware_concurrency())
                               : static_cast<unsigned>(jobs_);
    jobs =
        static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, inputs.size())));

    std::size_t n_acc = 0, n_rej = 0, n_quar = 0, n_dup = 0, n_err = 0, n_retour = 0;
    std::map<std::string, std::array<std::size_t, 3>> by_standard;  // accepted, rejected, quarantined
    Progress progress("ingest", "messages", inputs.size(), quiet_);
    // The per-message report is formatted and printed on a thread of its own, in order.
    BackgroundSink<Report> printer(
        [this, &progress](Report& r) {
          if (!report_.empty()) collect(r);
          const std::string out = r.error.empty() ? report_of(r.outcome)
                                                  : error_report(r.outcome.result.source, r.error);
          if (out.empty()) return;
          auto hold = progress.hold_for_stdout();
          std::fwrite(out.data(), 1, out.size(), stdout);
        },
        [&] { util::lower_this_thread_priority(iopt.helpers); });
    const auto started = std::chrono::steady_clock::now();
    const std::size_t limit = vopt.max_message_bytes;

    ordered_parallel<Item>(
        inputs.size(), jobs,
        [&] {
          // Validation threads yield to this (ledger) thread, the serial stage. With -j 1 the
          // validator runs on this thread: no change then.
          if (jobs > 1) util::lower_this_thread_priority(iopt.helpers);
          return std::make_unique<Validator>(bundle, vopt);
        },
        [&](std::unique_ptr<Validator>& v, std::size_t i) {
          const Input& in = inputs[i];
          Item it;
          if (!in.error.empty()) {
            it.error = in.error;
            it.result.source = in.name();
            return it;
          }
          // Over the limit: refused unread, but kept open (stdin: in a temporary file) so
          // that the ledger thread quarantines all of it, streaming; hashed here, in pieces.
          auto take_large = [&](util::UniqueFd fd, std::uint64_t size) {
            std::int64_t hash = 0;
            it.error = hash_file(fd.get(), size, &hash);
            if (!it.error.empty()) {
              it.result.source = in.name();
              return;
            }
            it.result = v->too_large(in.name(), size);
            it.large = std::move(fd);
            it.large_size = size;
            it.hash = hash;
          };
          if (in.is_stdin) {
            auto s = read_stdin(limit, true);
            if (!s.error.empty()) {
              it.error = std::move(s.error);
              it.result.source = in.name();
              return it;
            }
            if (s.spool) {
              take_large(std::move(s.spool), s.size);
              return it;
            }
            it.bytes = std::move(s.bytes);
          } else {
            auto read = util::read_file(in.path, limit, true);
            if (read.status == util::ReadFile::Status::too_large) {
              take_large(std::move(read.file), read.size);
              return it;
            }
            if (read.status != util::ReadFile::Status::ok) {
              it.error = std::move(read.error);  // "cannot open the file: ..." and the like
              it.result.source = in.name();
              return it;
            }
            it.bytes = std::move(read.bytes);
          }
          // Stages 1 and 2 of the pipeline (ingest.hpp), here on a validation worker.
          auto prepared = ingest::prepare(it.bytes);
          it.hash = prepared.hash;
          it.packed = std::move(*prepared.packed);
          it.result = v->validate(it.bytes, in.name());
          return it;
        },
        [&](std::size_t, Item&& it, std::span<const Item> following) {
          if (!it.error.empty()) {
            ++n_err;
            Report r;
            r.outcome.result.source = std::move(it.result.source);
            r.error = std::move(it.error);
            printer.push(std::move(r));
            progress.advance();
            return;
          }
          // The next inputs, as far as they are read and validated by now: their reads go
          // ahead.
          std::array<ingest::Upcoming, ingest::Ingestor::kUpcoming> next_space;
          std::size_t n_next = 0;
          for (const Item& f : following) {
            if (n_next == next_space.size() || !f.error.empty() || f.large) break;
            next_space[n_next++] = ingest::Upcoming{f.bytes, f.hash, &f.result};
          }
          const std::span<const ingest::Upcoming> next(next_space.data(), n_next);
          ingest::Outcome o =
              it.large
                  ? ingestor.process_large(
                        ingest::LargeInput{it.large.get(), it.large_size, it.hash, limit},
                        std::move(it.result))
                  : ingestor.process(ingest::Prepared{it.bytes, it.hash, std::move(it.packed)},
                                     std::move(it.result), next);
          if (!o.error.empty()) {  // nothing recorded (it changed or failed while read)
            ++n_err;
            Report r;
            r.outcome.result.source = std::move(o.result.source);
            r.error = std::move(o.error);
            printer.push(std::move(r));
            progress.advance();
            return;
          }
          if (o.duplicate) ++n_dup;
          if (o.quarantined)
            ++n_quar;
          else if (o.accepted)
            ++n_acc;
          else
            ++n_rej;
          if (o.result.type != model::MessageType::unknown) {
            auto& c = by_standard[std::string(
                model::standard_name(model::standard_of(o.result.type)))];
            ++(o.quarantined ? c[2] : o.accepted ? c[0] : c[1]);
          }
          if (!o.retour.empty() && !o.duplicate) ++n_retour;
          o.result.message.reset();  // the report does not show the typed message
          printer.push(Report{std::move(o), {}});
          progress.advance();
        });
    ingestor.flush();
    printer.finish();
    progress.finish();
    std::fflush(stdout);
    if (std::ferror(stdout)) throw RuntimeError("writing the output failed");

    if (!report_.empty()) {
      report::BatchReportOptions ro;
      explain::parse_lang(lang_, &ro.lang);
      ro.generated_on = iopt.today.to_string();
      ro.ledger = ledger::display_location(db_);
      output::write_file_atomic(report_, report::batch_report_html(report_items_, ro));
    }
    if (format_ == "text") {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const std::size_t n_in = inputs.size() - n_err;
      std::string s = fmt::format(
          "{} message{} ingested: {} accepted, {} rejected, {} quarantined, {} duplicate{}, {} "
          "retour{} written in {:.2f} s\n",
          n_in, n_in == 1 ? "" : "s", n_acc, n_rej, n_quar, n_dup, n_dup == 1 ? "" : "s", n_retour,
          n_retour == 1 ? "" : "s", secs);
      // A batch of both standards says what each did.
      if (by_standard.size() > 1)
        for (const auto& [name, c] : by_standard)
          s += fmt::format("  {}: {} accepted, {} rejected, {} quarantined\n", name, c[0], c[1],
                           c[2]);
      if (n_err)
        s +=
            fmt::format("{} input{} could not be read (named above; nothing was recorded for {})\n",
                        n_err, n_err == 1 ? "" : "s", n_err == 1 ? "it" : "them");
      std::fwrite(s.data(), 1, s.size(), stdout);
    }
    return (n_rej || n_quar || n_err) ? kFindings : kOk;
  }

 private:
  std::string path_of(const std::string& route) const {
    if (route.empty()) return {};
    return out_.empty() ? route : (std::filesystem::path(out_) / route).string();
  }

  /// The report of an input that could not be read.
  std::string error_report(const std::string& source, const std::string& error) const {
    if (format_ == "json") {
      nlohmann::ordered_json j;
      j["source"] = source;
      j["error"] = error;
      j["accepted"] = false;
      j["duplicate"] = false;
      j["quarantined"] = false;
      return j.dump() + "\n";
    }
    return fmt::format("{}: error: {}\n", source, error);
  }

  /// One line of the --report page (on the printer thread, in input order).
  void collect(const Report& r) {
    report::BatchItem b;
    const auto& o = r.outcome;
    b.source = o.result.source;
    if (o.result.type != model::MessageType::unknown) b.type = model::to_string(o.result.type);
    b.identificatie = o.result.identificatie;
    using V = report::BatchItem::Verdict;
    b.verdict = !r.error.empty() ? V::unreadable
                : o.duplicate    ? V::duplicate
                : o.quarantined  ? V::quarantined
                : o.accepted     ? V::accepted
                                 : V::rejected;
    b.route = path_of(o.route);
    b.retour = path_of(o.retour);
    b.findings = o.result.findings;
    b.error = r.error;
    report_items_.push_back(std::move(b));
  }

  /// The report of one message (empty with --quiet in text format).
  std::string report_of(const ingest::Outcome& o) const {
    if (format_ == "json") {
      auto j = report::to_json(o.result);
      j.update(ingest::outcome_json(o, out_));
      // "retour" (the retour's path) as before "retour_route" existed.
      j["retour"] = j["retour_route"];
      return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    }
    if (quiet_) return {};
    return ingest::outcome_text(o, out_);
  }

  std::vector<std::string> paths_;
  std::string engine_;
  std::string db_, out_, format_ = "text", side_ = "gemeente", today_, schemas_, standard_;
  std::vector<std::string> taakgericht_;
  std::string rejected_301_ = "withdraw";
  std::string gezagsdrager_warning_ = "on";
  std::string woonplaatsbeginsel_warning_ = "on";
  int jobs_ = 1;
  int batch_ = 1024;
  std::string helper_priority_ = "idle";
  std::string max_size_ = "25M";
  bool quiet_ = false;
  std::string report_, lang_ = "nl";
  std::vector<report::BatchItem> report_items_;
};

}  // namespace

std::unique_ptr<Command> make_ingest() { return std::make_unique<CommandIngest>(); }

}  // namespace istd::cli
