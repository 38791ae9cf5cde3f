// istd validate: XSD and level-2 validation of messages, in one streaming pass each.
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/engine_option.hpp"
#include "cli/inputs.hpp"
#include "cli/parallel.hpp"
#include "cli/progress.hpp"
#include "core/errors.hpp"
#include "core/explain/catalogue.hpp"
#include "core/report/report.hpp"
#include "core/report/rapport.hpp"
#include "core/output/atomic_file.hpp"
#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::cli {
namespace {

class CommandValidate : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Validate iWmo 3.2 (Wmo) and iJw 3.2 (Jeugdwet) messages against the XSD schemas and "
        "the message-level rules (CD/CS/TR) of the standard. Each message is recognised by "
        "its namespace, so one run may mix both standards; the summary counts per message "
        "type (WMO305, JW305, ...).\n"
        "Each message is read in one streaming pass; nothing is changed or stored.\n\n"
        "Exit status: 0 all messages valid, 1 some message invalid, 2 usage or configuration "
        "error, 3 runtime failure.");
    app.footer(
        "Examples:\n"
        "  istd validate berichten/\n"
        "  istd validate --format rapport --out rapporten/ berichten/2025-06/\n"
        "  istd validate --standard jw jeugd/");
    app.add_option("paths", paths_,
                   "Message files, directories (all *.xml below them, in path order) or - for "
                   "standard input")
        ->required();
    app.add_option("--format", format_,
                   "Output: text (one line per finding, then a summary), json (JSON Lines, one "
                   "object per message) or rapport (the official validation report XML per "
                   "message)")
        ->check(CLI::IsMember({"text", "json", "rapport"}))
        ->capture_default_str();
    app.add_option("--schemas", schemas_,
                   "Directory with the XSD bundle: WMOnnn.xsd or JWnnn.xsd + basisschema.xsd laid "
                   "out like the official download, or one subdirectory per standard. Default: "
                   "the bundled iWmo 3.2 and iJw 3.2 schemas")
        ->check(CLI::ExistingDirectory);
    app.add_option("--standard", standard_,
                   "Take only messages of one standard: wmo (iWmo 3.2) or jw (iJw 3.2); the "
                   "others get finding STANDARD and are not processed. Default: both")
        ->check(CLI::IsMember({"wmo", "jw"}));
    app.add_option("--checks", checks_,
                   "xsd: schema validation only; all: also the message-level rules (CD/CS/TR)")
        ->check(CLI::IsMember({"xsd", "all"}))
        ->capture_default_str();
    add_engine_option(app, engine_);
    app.add_option("-j,--jobs", jobs_, "Number of worker threads (0 = one per core)")
        ->check(CLI::Range(0, 256))
        ->capture_default_str();
    app.add_option("--max-size", max_size_,
                   "Largest message accepted; larger files are refused without being parsed "
                   "(examples: 25M, 512K)")
        ->capture_default_str();
    app.add_option("--bom", bom_,
                   "A UTF-8 byte-order mark: warn (default; the message is still validated) or "
                   "reject")
        ->check(CLI::IsMember({"warn", "reject"}))
        ->capture_default_str();
    app.add_flag("-q,--quiet", quiet_,
                 "No progress line on standard error; with --format text print only the "
                 "summary");
    app.add_option("--out", out_dir_,
                   "With --format rapport: write one report per message to DIR/<file "
                   "name>.rapport.xml (-2, -3, ... appended when names repeat; stdin gives "
                   "stdin.rapport.xml) instead of printing them all to standard output");
  }

  int run() override {
    if (!out_dir_.empty() && format_ != "rapport")
      throw CLI::ValidationError("--out", "--out is only used with --format rapport");
    ValidateOptions opt;
    if (!standard_.empty()) opt.standard = model::standard_from_key(standard_);
    opt.checks = checks_ == "xsd" ? Checks::xsd : Checks::all;
    opt.max_message_bytes = parse_size(max_size_);
    opt.bom = bom_ == "reject" ? BomPolicy::reject : BomPolicy::warn;
    opt.engine = engine_named(engine_);

    auto bundle = std::make_shared<const SchemaBundle>(
        SchemaBundle::load(schemas_.empty() ? SchemaBundle::default_dir() : std::filesystem::path(schemas_)));
    // Compiled once up front: a broken bundle is a configuration error (exit 2), not N
    // failures later.
    prepare_engine(bundle, opt, "validate");

    const auto inputs = collect_inputs(paths_);
    unsigned jobs = jobs_ == 0 ? std::max(1u, std::thread::hardware_concurrency())
                               : static_cast<unsigned>(jobs_);
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, inputs.size())));

    std::size_t n_valid = 0, n_invalid = 0, n_warn = 0;
    std::map<std::string, std::pair<std::size_t, std::size_t>> by_type;  // valid, invalid
    std::map<std::string, std::pair<std::size_t, std::size_t>> by_standard;  // the same
    std::map<std::string, std::size_t> by_rule;
    auto started = std::chrono::steady_clock::now();
    Progress progress("validate", "messages", inputs.size(), quiet_);

    ordered_parallel<ValidationResult>(
        inputs.size(), jobs, [&] { return std::make_unique<Validator>(bundle, opt); },
        [&](std::unique_ptr<Validator>& v, std::size_t i) {
          const Input& in = inputs[i];
          if (!in.error.empty()) {
            ValidationResult r;
            r.source = in.name();
            Finding f;
            f.rule = "XML";
            f.text = in.error;
            r.findings.push_back(std::move(f));
            return r;
          }
          if (in.is_stdin) {
            auto s = read_stdin(opt.max_message_bytes, false);
            if (!s.error.empty()) {
              ValidationResult r;
              r.source = "-";
              Finding f;
              f.rule = "XML";
              f.text = std::move(s.error);
              r.findings.push_back(std::move(f));
              return r;
            }
            // Read to its end: an over-size message is reported with its whole size.
            if (s.size > opt.max_message_bytes) return v->too_large("-", s.size);
            return v->validate(s.bytes, "-");
          }
          return v->validate_file(in.path);
        },
        [&](std::size_t i, ValidationResult&& r) {
          const bool ok = r.valid();
          ok ? ++n_valid : ++n_invalid;
          if (std::any_of(r.findings.begin(), r.findings.end(),
                          [](const Finding& f) { return f.severity == Severity::warning; }))
            ++n_warn;
          auto& t = by_type[r.type == model::MessageType::unknown
                                ? std::string("unknown")
                                : std::string(model::to_string(r.type))];
          ok ? ++t.first : ++t.second;
          if (r.type != model::MessageType::unknown) {
            auto& st = by_standard[std::string(model::standard_name(model::standard_of(r.type)))];
            ok ? ++st.first : ++st.second;
          }
          for (const auto& f : r.findings)
            if (f.severity == Severity::error) ++by_rule[f.rule];
          std::string out;
          if (format_ == "json") {
            out = report::to_json(r).dump(-1, ' ', false,
                                          nlohmann::ordered_json::error_handler_t::replace);
            out += '\n';
          } else if (format_ == "rapport") {
            out = report::to_rapport(r);
            if (!out_dir_.empty()) {
              output::write_file_atomic(std::filesystem::path(out_dir_) / rapport_name(inputs[i]),
                                      out);
              out.clear();
            }
          } else if (!quiet_) {
            out = report::to_text(r);
          }
          if (!out.empty()) {
            auto hold = progress.hold_for_stdout();
            std::fwrite(out.data(), 1, out.size(), stdout);
          }
          progress.advance();
        });
    progress.finish();
    std::fflush(stdout);
    if (std::ferror(stdout)) throw RuntimeError("writing the output failed");

    if (format_ == "text") {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::string s = fmt::format("{} message{} checked ({}): {} valid, {} invalid", inputs.size(),
                                  inputs.size() == 1 ? "" : "s",
                                  checks_ == "xsd" ? "XSD only" : "XSD and message rules",
                                  n_valid, n_invalid);
      if (n_warn) s += fmt::format(", {} with warnings", n_warn);
      s += fmt::format(" in {:.2f} s\n", secs);
      for (const auto& [type, counts] : by_type)
        s += fmt::format("  {:<8} {:>7} valid {:>7} invalid\n", type, counts.first, counts.second);
      // A batch of both standards says what each did.
      if (by_standard.size() > 1)
        for (const auto& [name, counts] : by_standard)
          s += fmt::format("  {}: {} valid, {} invalid\n", name, counts.first, counts.second);
      if (!by_rule.empty()) {
        s += "  errors by rule (`istd explain RULE` says what it means and what to do):\n";
        for (const auto& [rule, n] : by_rule)
          s += fmt::format("  {:<8} {:>7}  {}\n", rule, n,
                           explain::title_or_key(explain::rule_key(rule), explain::Lang::en));
      }
      std::fwrite(s.data(), 1, s.size(), stdout);
    }
    return n_invalid ? kFindings : kOk;
  }

 private:
  /// A report file name for an input, unique within this run.
  std::string rapport_name(const Input& in) {
    std::string stem = in.is_stdin ? std::string("stdin") : in.path.stem().string();
    if (stem.empty()) stem = "message";
    std::string name = stem + ".rapport.xml";
    for (int n = 2; !rapport_names_.insert(name).second; ++n)
      name = stem + "-" + std::to_string(n) + ".rapport.xml";
    return name;
  }

  std::vector<std::string> paths_;
  std::string out_dir_;
  std::set<std::string> rapport_names_;
  std::string format_ = "text";
  std::string schemas_;
  std::string standard_;
  std::string checks_ = "all";
  int jobs_ = 1;
  std::string max_size_ = "25M";
  std::string bom_ = "warn";
  std::string engine_;
  bool quiet_ = false;
};

}  // namespace

std::unique_ptr<Command> make_validate() { return std::make_unique<CommandValidate>(); }

}  // namespace istd::cli
