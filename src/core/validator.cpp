// Validator: the Xerces-C SAX2 glue. One pass per message: the handler feeds the ModelBuilder
// while the message is checked against the schemas of its root element's namespace, by one of
// two engines (ValidateOptions::engine):
// * compiled (default): Xerces' non-validating scanner reads the message and every element
//   start, text and end goes through istd's own tables (xsd::InstanceValidator), compiled from
//   the same grammars (xsd::compile_schema);
// * xerces: Xerces' validating parser checks the message against the cached grammar.
//
// Hardening (a message is untrusted input):
// * size is checked before anything is read or parsed;
// * only UTF-8 is accepted (UTF-16/32 and other declared encodings are refused up front);
// * any DOCTYPE is refused (LexicalHandler::startDTD), so no entity can be declared, expanded or
//   fetched; external DTD loading and default entity resolution are off, and the entity resolver
//   serves only files of the schema bundle (used while compiling grammars, never for instances);
// * schemas named by xsi:schemaLocation are never loaded (cached grammars only, pool locked);
// * nesting depth, text node size and the number of findings are bounded.
#include "core/validator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <optional>
#include <system_error>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/psvi/XSModel.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/BinInputStream.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>

#include "core/errors.hpp"
#include "core/rules/rules.hpp"
#include "core/util/read_file.hpp"
#include "core/xml/model_builder.hpp"
#include "core/xml/schema_bundle.hpp"
#include "core/xml/utf.hpp"
#include "core/xsd/instance.hpp"
#include "core/xsd/schema.hpp"
#include "core/xsd/unsupported.hpp"

namespace istd {

using namespace xercesc;
using xml::append_utf8;
using xml::utf8;

namespace {

/// Xerces wants XMLCh strings; a small owning conversion for ASCII/UTF-8 names.
std::u16string to_xmlch(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (unsigned char c : s) out.push_back(static_cast<char16_t>(c));  // names are ASCII
  return out;
}
const XMLCh* xc(const std::u16string& s) { return reinterpret_cast<const XMLCh*>(s.c_str()); }

/// An input stream over memory that returns at most `chunk` bytes per read (grind tests).
class ChunkedStream : public BinInputStream {
 public:
  ChunkedStream(std::string_view data, std::size_t chunk) : data_(data), chunk_(chunk) {}
  XMLFilePos curPos() const override { return pos_; }
  XMLSize_t readBytes(XMLByte* const to_fill, const XMLSize_t max_to_read) override {
    std::size_t n = std::min<std::size_t>({max_to_read, chunk_, data_.size() - pos_});
    std::memcpy(to_fill, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const XMLCh* getContentType() const override { return nullptr; }

 private:
  std::string_view data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

class ChunkedSource : public InputSource {
 public:
  ChunkedSource(std::string_view data, std::size_t chunk, const XMLCh* system_id)
      : InputSource(system_id), data_(data), chunk_(chunk) {}
  BinInputStream* makeStream() const override { return new ChunkedStream(data_, chunk_); }

 private:
  std::string_view data_;
  std::size_t chunk_;
};

/// " (iWmo 3.1?)" for a namespace of another release of a standard istd knows, else "".
std::string release_named(std::string_view ns) {
  for (std::string_view std_part : {"iwmo/", "ijw/"}) {
    const auto at = ns.find(std::string("istandaarden.nl/") + std::string(std_part));
    if (at == std::string_view::npos) continue;
    std::string_view rest = ns.substr(at + 16 + std_part.size());
    const auto slash = rest.find('/');
    std::string release(rest.substr(0, slash));
    for (auto& c : release)
      if (c == '_') c = '.';
    if (release.empty() || release == "3.2") return {};
    return fmt::format(" (an {} {} message?)", std_part == "iwmo/" ? "iWmo" : "iJw", release);
  }
  return {};
}

constexpr std::u16string_view kXsiNamespace = u"http://www.w3.org/2001/XMLSchema-instance";

/// Thrown from handler callbacks to stop parsing this message (the finding is recorded first).
struct StopParsing {};

/// Serves the bundle's schema files to Xerces while grammars are compiled; refuses everything
/// else (no file or network access on behalf of an instance document). An xs:import is resolved
/// by its namespace: each standard has its own basisschema.xsd.
class BundleResolver : public XMLEntityResolver {
 public:
  explicit BundleResolver(const SchemaBundle& b) : bundle_(b) {}
  InputSource* resolveEntity(XMLResourceIdentifier* id) override {
    if (!serving_ || !id) return refuse();
    const SchemaBundle::File* f = nullptr;
    if (id->getResourceIdentifierType() == XMLResourceIdentifier::SchemaImport &&
        id->getNameSpace() && *id->getNameSpace())
      f = bundle_.by_namespace(utf8(id->getNameSpace()));
    if (!f && id->getSystemId()) {
      std::string sys = utf8(id->getSystemId());
      auto slash = sys.find_last_of("/\\");
      f = bundle_.find(slash == std::string::npos ? sys : sys.substr(slash + 1));
    }
    if (!f) return refuse();
    return new MemBufInputSource(reinterpret_cast<const XMLByte*>(f->bytes.data()), f->bytes.size(),
                                 xc(to_xmlch(f->name)), false);
  }
  void serving(bool on) { serving_ = on; }

 private:
  InputSource* refuse() {
    // An empty document: an import or include that is not in the bundle fails to compile.
    static const char kEmpty[] = "";
    return new MemBufInputSource(reinterpret_cast<const XMLByte*>(kEmpty), 0, u"refused", false);
  }
  const SchemaBundle& bundle_;
  bool serving_ = false;
};

/// Collects errors while grammars are compiled.
class GrammarErrors : public DefaultHandler {
 public:
  void error(const SAXParseException& e) override { add(e); }
  void fatalError(const SAXParseException& e) override { add(e); }
  void warning(const SAXParseException&) override {}
  std::string text;

 private:
  void add(const SAXParseException& e) {
    if (!text.empty()) text += "; ";
    text += fmt::format("{}:{}:{}: {}", utf8(e.getSystemId()), e.getLineNumber(),
                        e.getColumnNumber(), utf8(e.getMessage()));
  }
};

}  // namespace

bool ValidationResult::valid() const {
  return std::none_of(findings.begin(), findings.end(),
                      [](const Finding& f) { return f.severity == Severity::error; });
}

// ---------------------------------------------------------------------------------------------

struct Validator::Impl : public DefaultHandler {
  std::shared_ptr<const SchemaBundle> bundle;
  const ValidateOptions& options;
  XMLGrammarPoolImpl pool;
  BundleResolver resolver;
  SecurityManager security;
  std::unique_ptr<SAX2XMLReader> reader;     // validating (Engine::xerces; compiles grammars)
  std::unique_ptr<SAX2XMLReader> wf_reader;  // non-validating (Engine::compiled)
  std::array<bool, 2> compiled{};  // per model::Standard: its grammars are in the pool
  // Per model::Standard, with Engine::compiled: the compiled tables and their runner, or why
  // the compiled engine cannot check that standard's schemas (Xerces checks them then).
  struct Engines {
    std::shared_ptr<const xsd::CompiledSchema> schema;
    std::unique_ptr<xsd::InstanceValidator> runner;
    std::optional<std::string> refused;
  };
  std::array<Engines, 2> engines;

  // Per-message state.
  model::Message* msg = nullptr;
  std::unique_ptr<xml::ModelBuilder> builder;
  std::vector<Finding>* findings = nullptr;
  std::vector<model::NodeId> finding_nodes;  // parallel to *findings while parsing
  std::size_t xsd_errors = 0;
  bool fatal = false;
  bool root_seen = false;
  // Set when the root's standard has no grammars in the pool yet: the parse stops, they are
  // compiled and the message is parsed again.
  std::optional<model::Standard> uncompiled;
  // Set when the compiled engine met a standard it cannot check: the message is parsed again
  // by the validating reader.
  bool needs_xerces = false;
  // The compiled engine's runner for this message (nullptr: Xerces validates, or before the
  // root element).
  xsd::InstanceValidator* runner = nullptr;
  bool non_validating = false;  // this parse uses wf_reader
  const Locator* locator = nullptr;
  std::string name_buf;
  std::string why_buf;
  std::vector<xsd::InstanceValidator::Attribute> attributes_buf;

  Impl(std::shared_ptr<const SchemaBundle> b, const ValidateOptions& o)
      : bundle(std::move(b)),
        options(o),
        pool(XMLPlatformUtils::fgMemoryManager),
        resolver(*bundle) {
    reader.reset(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, &pool));
    SAX2XMLReader& r = *reader;
    r.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    r.setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
    r.setFeature(XMLUni::fgSAX2CoreValidation, true);
    r.setFeature(XMLUni::fgXercesDynamic, false);
    r.setFeature(XMLUni::fgXercesSchema, true);
    r.setFeature(XMLUni::fgXercesSchemaFullChecking, false);
    r.setFeature(XMLUni::fgXercesHandleMultipleImports, true);
    r.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
    r.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
    r.setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);  // iWmo XSDs declare none
    security.setEntityExpansionLimit(100);
    r.setProperty(XMLUni::fgXercesSecurityManager, &security);
    // The factory's reader is a SAX2XMLReaderImpl; only that class takes an XMLEntityResolver,
    // which is told the namespace of an xs:import.
    auto* impl = dynamic_cast<SAX2XMLReaderImpl*>(&r);
    if (!impl) throw ConfigError("the XML parser does not support schema resolution by namespace");
    impl->setXMLEntityResolver(&resolver);

    // Grammars are compiled per standard when its first message is met (see compile()): a run
    // of iWmo messages never pays for the iJw schemas, nor the other way round. Until then the
    // pool is locked and empty: instances never load a schema.
    pool.lockPool();
    parse_instances();
    if (options.engine == Engine::compiled) make_wf_reader();
  }

  /// The non-validating, namespace-aware reader of the compiled engine (no grammar pool).
  void make_wf_reader() {
    wf_reader.reset(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager));
    SAX2XMLReader& r = *wf_reader;
    r.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    r.setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
    r.setFeature(XMLUni::fgSAX2CoreValidation, false);
    r.setFeature(XMLUni::fgXercesSchema, false);
    r.setFeature(XMLUni::fgXercesLoadSchema, false);
    r.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
    r.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
    r.setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
    r.setProperty(XMLUni::fgXercesSecurityManager, &security);
    // The well-formedness scanner: no validation machinery at all.
    r.setProperty(XMLUni::fgXercesScannerName, const_cast<XMLCh*>(XMLUni::fgWFXMLScanner));
    r.setContentHandler(this);
    r.setErrorHandler(this);
    r.setLexicalHandler(this);
    r.setDeclarationHandler(this);
  }

  /// The reader set up for messages: cached grammars only, never a schema loaded, this handler.
  void parse_instances() {
    SAX2XMLReader& r = *reader;
    r.setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    r.setFeature(XMLUni::fgXercesLoadSchema, false);
    r.setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    r.setContentHandler(this);
    r.setErrorHandler(this);
    r.setLexicalHandler(this);
    r.setDeclarationHandler(this);
  }

  /// Compiles the bundle's schemas of `standard` into this worker's pool (unlocked meanwhile,
  /// locked again after: no schema is ever loaded while a message is parsed).
  /// @throws ConfigError when a schema does not compile.
  void compile(model::Standard standard) {
    SAX2XMLReader& r = *reader;
    GrammarErrors errs;
    r.setErrorHandler(&errs);
    r.setContentHandler(nullptr);
    r.setLexicalHandler(nullptr);
    r.setDeclarationHandler(nullptr);
    pool.unlockPool();
    resolver.serving(true);
    r.setFeature(XMLUni::fgXercesLoadSchema, true);
    r.setFeature(XMLUni::fgXercesCacheGrammarFromParse, true);
    for (const auto& f : bundle->files()) {
      if (f.type == model::MessageType::unknown) continue;  // imported by the message schemas
      if (model::standard_of(f.type) != standard) continue;
      MemBufInputSource src(reinterpret_cast<const XMLByte*>(f.bytes.data()), f.bytes.size(),
                            xc(to_xmlch(f.name)), false);
      Grammar* g = nullptr;
      try {
        g = r.loadGrammar(src, Grammar::SchemaGrammarType, true);
      } catch (const XMLException& e) {
        errs.text += utf8(e.getMessage());
      } catch (const SAXException& e) {
        errs.text += utf8(e.getMessage());
      }
      if (!g || !errs.text.empty())
        throw ConfigError(fmt::format("schema {} in bundle {} does not compile: {}", f.name,
                                      bundle->dir().string(),
                                      errs.text.empty() ? "unknown error" : errs.text));
    }
    resolver.serving(false);
    pool.lockPool();
    compiled[static_cast<std::size_t>(standard)] = true;
    parse_instances();
    if (options.engine == Engine::compiled) compile_engine(standard);
  }

  /// The compiled engine's tables for `standard`, made from the grammars just loaded.
  void compile_engine(model::Standard standard) {
    Engines& e = engines[static_cast<std::size_t>(standard)];
    try {
      bool changed = false;
      XSModel* xs_model = pool.getXSModel(changed);
      if (!xs_model) throw xsd::Unsupported("the schemas give no schema model");
      // Only this standard's messages: the pool may hold the other standard's grammars too.
      std::vector<std::string> roots;
      for (const auto& f : bundle->files())
        if (f.type != model::MessageType::unknown && model::standard_of(f.type) == standard)
          roots.push_back(f.target_ns);
      e.schema = xsd::compile_schema(*xs_model, roots);
      e.runner = std::make_unique<xsd::InstanceValidator>(*e.schema);
    } catch (const xsd::Unsupported& u) {
      e.schema.reset();
      e.runner.reset();
      e.refused = u.what();
    }
  }

  ~Impl() override = default;

  // -- helpers ---------------------------------------------------------------------------------

  void add(std::string rule, std::string text, std::uint32_t line, std::uint32_t col,
           model::NodeId node, Severity sev = Severity::error) {
    Finding f;
    f.rule = std::move(rule);
    f.text = std::move(text);
    f.line = line;
    f.column = col;
    f.severity = sev;
    findings->push_back(std::move(f));
    finding_nodes.push_back(node);
  }
  std::uint32_t cur_line() const {
    return locator ? static_cast<std::uint32_t>(locator->getLineNumber()) : 0;
  }
  std::uint32_t cur_col() const {
    return locator ? static_cast<std::uint32_t>(locator->getColumnNumber()) : 0;
  }
  [[noreturn]] void stop(std::string rule, std::string text) {
    add(std::move(rule), std::move(text), cur_line(), cur_col(), builder->current());
    fatal = true;
    throw StopParsing{};
  }

  /// A schema finding of the compiled engine at the current element.
  void schema_error(std::string text) {
    add("XSD", std::move(text), cur_line(), cur_col(), builder->current());
    if (++xsd_errors >= options.max_findings) {
      add("XSD",
          fmt::format("more than {} schema errors; validation of this file stopped here",
                      options.max_findings),
          cur_line(), cur_col(), builder->current());
      throw StopParsing{};
    }
  }

  // -- ContentHandler --------------------------------------------------------------------------

  void setDocumentLocator(const Locator* const l) override { locator = l; }

  void startElement(const XMLCh* const uri, const XMLCh* const localname, const XMLCh* const,
                    const Attributes& attributes) override {
    if (builder->depth() >= options.max_depth)
      stop("XML", fmt::format("elements are nested more than {} levels deep; no iWmo message "
                              "nests that deep, so the file is refused",
                              options.max_depth));
    name_buf.clear();
    append_utf8(name_buf, localname, XMLString::stringLen(localname));
    const std::string& name = name_buf;
    if (!root_seen) {
      root_seen = true;
      std::string ns = utf8(uri);
      const auto type = model::type_from_namespace(ns);
      msg->type = type;
      // Whatever Xerces said about an undeclared root is superseded by a clearer finding.
      findings->clear();
      finding_nodes.clear();
      xsd_errors = 0;
      if (type == model::MessageType::unknown) {
        if (ns.find("istandaarden.nl/iwmo/") != std::string::npos ||
            ns.find("istandaarden.nl/ijw/") != std::string::npos)
          stop("XSD", fmt::format("namespace '{}' is not an iWmo 3.2 or iJw 3.2 message "
                                  "namespace{}; expected "
                                  "http://www.istandaarden.nl/iwmo/3_2/wmoNNN/schema or "
                                  "http://www.istandaarden.nl/ijw/3_2/jwNNN/schema",
                                  ns, release_named(ns)));
        stop("XSD", fmt::format("root element '{}' in namespace '{}' is not an iWmo 3.2 or iJw "
                                "3.2 message; expected 'Bericht' in "
                                "http://www.istandaarden.nl/iwmo/3_2/wmoNNN/schema or "
                                "http://www.istandaarden.nl/ijw/3_2/jwNNN/schema",
                                name, ns.empty() ? "(none)" : ns));
      }
      if (options.standard && model::standard_of(type) != *options.standard)
        stop("STANDARD",
             fmt::format("{} is an {} message ({}); this run takes only {} messages "
                         "(--standard {})",
                         model::to_string(type), model::standard_name(model::standard_of(type)),
                         model::description(type), model::standard_name(*options.standard),
                         model::standard_key(*options.standard)));
      if (!bundle->message_schema(type))
        stop("XSD", fmt::format("the schema bundle {} has no schema for {} ({})",
                                bundle->dir().string(), model::to_string(type),
                                model::standard_name(model::standard_of(type))));
      if (name != "Bericht")
        stop("XSD", fmt::format("root element is '{}'; an iWmo or iJw message's root element "
                                "is 'Bericht'",
                                name));
      const auto standard = model::standard_of(type);
      if (non_validating) {
        // The compiled engine needs no second pass: its tables are made here if need be.
        if (!compiled[static_cast<std::size_t>(standard)]) compile(standard);
        runner = engines[static_cast<std::size_t>(standard)].runner.get();
        // Xerces' validator does not check the root element's attributes (it accepts any, and
        // an xsi:nil on a root that is not nillable), xsi:schemaLocation aside: a root with
        // other attributes goes to it, so that both engines agree.
        bool other_attributes = false;
        for (XMLSize_t i = 0; i < attributes.getLength(); ++i) {
          const XMLCh* local = attributes.getLocalName(i);
          other_attributes |= !(attributes.getURI(i) && kXsiNamespace == attributes.getURI(i) &&
                                (XMLString::equals(local, u"schemaLocation") ||
                                 XMLString::equals(local, u"noNamespaceSchemaLocation")));
        }
        if (!runner || other_attributes) {
          runner = nullptr;
          needs_xerces = true;
          throw StopParsing{};
        }
        runner->reset();
      } else if (!compiled[static_cast<std::size_t>(standard)]) {
        uncompiled = standard;
        throw StopParsing{};
      }
    }
    builder->start_element(name, cur_line(), cur_col());
    if (runner) {
      attributes_buf.clear();
      for (XMLSize_t i = 0; i < attributes.getLength(); ++i) {
        const auto view = [](const XMLCh* x) {
          return std::u16string_view(reinterpret_cast<const char16_t*>(x),
                                     x ? XMLString::stringLen(x) : 0);
        };
        attributes_buf.push_back(
            {view(attributes.getURI(i)), view(attributes.getLocalName(i)),
             view(attributes.getValue(i))});
        // xsi:type names a type for this element; the compiled engine does not switch types.
        if (attributes_buf.back().ns == kXsiNamespace && attributes_buf.back().local == u"type") {
          needs_xerces = true;
          throw StopParsing{};
        }
      }
      if (!runner->start_element(reinterpret_cast<const char16_t*>(uri),
                                 reinterpret_cast<const char16_t*>(localname), attributes_buf,
                                 why_buf))
        schema_error(std::move(why_buf));
    }
    // Errors Xerces reported for this start tag (before this callback) belong to this element.
    for (std::size_t i = finding_nodes.size(); i-- > 0;) {
      const Finding& f = (*findings)[i];
      if (f.line != cur_line() || f.column != cur_col()) break;
      finding_nodes[i] = builder->current();
    }
  }

  void endElement(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    if (runner && !runner->end_element(why_buf)) schema_error(std::move(why_buf));
    builder->end_element();
  }

  void characters(const XMLCh* const chars, const XMLSize_t length) override {
    if (builder->text_size() + length > options.max_text_bytes || (length > options.max_text_bytes))
      stop("XML", fmt::format("a text value is longer than {} bytes; no iWmo element holds that "
                              "much text, so the file is refused",
                              options.max_text_bytes));
    if (std::string* sink = builder->text_sink()) append_utf8(*sink, chars, length);
    if (runner && !runner->characters(reinterpret_cast<const char16_t*>(chars), length, why_buf))
      schema_error(std::move(why_buf));
  }

  // Only a validating parse reports whitespace as ignorable; the compiled engine sees it all.
  void ignorableWhitespace(const XMLCh* const chars, const XMLSize_t length) override {
    if (runner) characters(chars, length);
  }

  // -- LexicalHandler / DeclHandler ------------------------------------------------------------

  void startCDATA() override {
    if (runner && !runner->cdata_section(why_buf)) schema_error(std::move(why_buf));
  }

  void startDTD(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    stop("XML",
         "the document has a DOCTYPE declaration; iWmo messages may not have one "
         "(DTDs and entity declarations are refused for safety)");
  }
  void startEntity(const XMLCh* const) override {
    stop("XML",
         "the document uses an entity reference; iWmo messages may not declare or use "
         "entities");
  }

  // -- ErrorHandler ----------------------------------------------------------------------------

  void warning(const SAXParseException&) override {}

  void error(const SAXParseException& e) override {
    add("XSD", utf8(e.getMessage()), static_cast<std::uint32_t>(e.getLineNumber()),
        static_cast<std::uint32_t>(e.getColumnNumber()), builder->current());
    if (++xsd_errors >= options.max_findings) {
      add("XSD",
          fmt::format("more than {} schema errors; validation of this file stopped here",
                      options.max_findings),
          static_cast<std::uint32_t>(e.getLineNumber()),
          static_cast<std::uint32_t>(e.getColumnNumber()), builder->current());
      throw StopParsing{};
    }
  }

  void fatalError(const SAXParseException& e) override {
    add("XML", fmt::format("not well-formed XML: {}", utf8(e.getMessage())),
        static_cast<std::uint32_t>(e.getLineNumber()),
        static_cast<std::uint32_t>(e.getColumnNumber()), builder->current());
    fatal = true;
    throw StopParsing{};
  }
};

// ---------------------------------------------------------------------------------------------

namespace {

/// Byte-level checks before parsing: encoding and the BOM. Returns false when the input must be
/// refused (a finding was added).
bool precheck(std::string_view b, const ValidateOptions& opt, std::vector<Finding>& out) {
  auto refuse = [&](std::string text) {
    Finding f;
    f.rule = "XML";
    f.text = std::move(text);
    f.line = 1;
    f.column = 1;
    out.push_back(std::move(f));
    return false;
  };
  if (b.empty()) return refuse("the file is empty");
  auto starts = [&](std::string_view p) { return b.substr(0, p.size()) == p; };
  using namespace std::string_view_literals;
  if (starts("\x00\x00\xFE\xFF"sv) || starts("\xFF\xFE\x00\x00"sv))
    return refuse("the file is encoded as UTF-32; iWmo messages must be UTF-8");
  if (starts("\xFE\xFF"sv) || starts("\xFF\xFE"sv) || starts("\x00<"sv) || starts("<\x00"sv))
    return refuse(
        "the file is encoded as UTF-16; iWmo messages must be UTF-8 (without a "
        "byte-order mark)");
  std::size_t start = 0;
  if (starts("\xEF\xBB\xBF"sv)) {
    start = 3;
    Finding f;
    f.rule = "XML";
    f.line = 1;
    f.column = 1;
    f.text =
        "the file starts with a UTF-8 byte-order mark; the standard asks for UTF-8 without "
        "one (OP192)";
    f.severity = opt.bom == BomPolicy::reject ? Severity::error : Severity::warning;
    out.push_back(f);
    if (opt.bom == BomPolicy::reject) return false;
  }
  // The encoding named in the XML declaration, if any, must be UTF-8.
  std::string_view rest = b.substr(start);
  if (rest.substr(0, 5) == "<?xml") {
    auto end = rest.find("?>");
    std::string_view decl = rest.substr(0, end == std::string_view::npos ? 200 : end);
    auto pos = decl.find("encoding");
    if (pos != std::string_view::npos) {
      auto q = decl.find_first_of("\"'", pos);
      if (q != std::string_view::npos) {
        auto q2 = decl.find(decl[q], q + 1);
        std::string enc(decl.substr(q + 1, q2 == std::string_view::npos ? 0 : q2 - q - 1));
        std::string lower = enc;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower != "utf-8" && lower != "utf8")
          return refuse(
              fmt::format("the XML declaration names encoding '{}'; iWmo messages "
                          "must be UTF-8",
                          enc));
      }
    }
  }
  // Any DOCTYPE in the prolog is refused before the parser sees it (no DTD, no entities). The
  // LexicalHandler refuses it as well; this check does not depend on the scanner in use.
  std::size_t pos = rest.substr(0, 5) == "<?xml" ? rest.find("?>") : 0;
  if (pos == std::string_view::npos) pos = rest.size();
  while (pos < rest.size()) {
    const char c = rest[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '?' || c == '>') {
      ++pos;
      continue;
    }
    if (rest.substr(pos, 4) == "<!--") {
      auto end = rest.find("-->", pos + 4);
      pos = end == std::string_view::npos ? rest.size() : end + 3;
      continue;
    }
    if (rest.substr(pos, 2) == "<?") {
      auto end = rest.find("?>", pos + 2);
      pos = end == std::string_view::npos ? rest.size() : end + 2;
      continue;
    }
    if (rest.substr(pos, 2) == "<!")
      return refuse(
          "the document has a DOCTYPE declaration; iWmo messages may not have one "
          "(DTDs and entity declarations are refused for safety)");
    break;
  }
  return true;
}

}  // namespace

Validator::Validator(std::shared_ptr<const SchemaBundle> schemas, ValidateOptions options)
    : options_(options) {
  impl_ = std::make_unique<Impl>(std::move(schemas), options_);
}

Validator::~Validator() = default;

ValidationResult Validator::too_large(std::string source, std::uint64_t size) const {
  ValidationResult res;
  res.source = std::move(source);
  Finding f;
  f.rule = "LIMIT";
  f.text = fmt::format(
      "the file is {} ({} bytes), more than the maximum message size of {} ({} bytes, "
      "--max-size); it was not parsed",
      util::size_text(size), size, util::size_text(options_.max_message_bytes),
      options_.max_message_bytes);
  res.findings.push_back(std::move(f));
  return res;
}

ValidationResult Validator::validate(std::string_view bytes, std::string source) {
  if (bytes.size() > options_.max_message_bytes) return too_large(std::move(source), bytes.size());
  ValidationResult res;
  res.source = std::move(source);
  if (!precheck(bytes, options_, res.findings)) return res;

  model::Message msg;
  Impl& im = *impl_;
  std::vector<Finding> parse_findings;
  const std::u16string sys = to_xmlch(res.source);
  // Xerces' validator: at most twice, a message whose standard has no grammars in the pool yet
  // stops at its root element; they are compiled and the message is parsed again from the
  // start. The compiled engine compiles at the root element and goes on; it hands the message
  // to Xerces' validator (a second pass) only for a standard it cannot check.
  bool use_xerces = options_.engine == Engine::xerces;
  for (int pass = 0; pass < 3; ++pass) {
    msg = model::Message{};
    parse_findings.clear();
    im.msg = &msg;
    im.builder = std::make_unique<xml::ModelBuilder>(msg);
    im.findings = &parse_findings;
    im.finding_nodes.clear();
    im.xsd_errors = 0;
    im.fatal = false;
    im.root_seen = false;
    im.uncompiled.reset();
    im.needs_xerces = false;
    im.runner = nullptr;
    im.non_validating = !use_xerces;
    im.locator = nullptr;
    MemBufInputSource mem_src(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(),
                              xc(sys), false);
    ChunkedSource chunked_src(bytes, options_.input_chunk, xc(sys));
    const InputSource& src =
        options_.input_chunk > 0 ? static_cast<const InputSource&>(chunked_src) : mem_src;
    try {
      (use_xerces ? im.reader : im.wf_reader)->parse(src);
    } catch (const StopParsing&) {
    } catch (const SAXParseException& e) {
      im.add("XML", fmt::format("not well-formed XML: {}", utf8(e.getMessage())),
             static_cast<std::uint32_t>(e.getLineNumber()),
             static_cast<std::uint32_t>(e.getColumnNumber()), im.builder->current());
      im.fatal = true;
    } catch (const XMLException& e) {
      im.add("XML", fmt::format("the file cannot be read as UTF-8 XML: {}", utf8(e.getMessage())),
             static_cast<std::uint32_t>(e.getSrcLine()), 0, im.builder->current());
      im.fatal = true;
    } catch (const SAXException& e) {
      im.add("XML", fmt::format("parse error: {}", utf8(e.getMessage())), im.cur_line(),
             im.cur_col(), im.builder->current());
      im.fatal = true;
    } catch (const OutOfMemoryException&) {
      im.add("LIMIT", "the parser ran out of memory on this file", im.cur_line(), im.cur_col(),
             model::kNoNode);
      im.fatal = true;
    }
    if (im.needs_xerces) {
      im.builder.reset();
      use_xerces = true;
      continue;
    }
    if (!im.uncompiled) break;
    im.builder.reset();
    im.compile(*im.uncompiled);
  }
  im.runner = nullptr;
  if (!im.root_seen && parse_findings.empty())
    im.add("XML", "the document has no root element", 1, 1, model::kNoNode);

  // Paths can only be computed now: [n] depends on siblings seen later.
  for (std::size_t i = 0; i < parse_findings.size(); ++i) {
    const std::string p = msg.path(im.finding_nodes[i]);
    if (!p.empty()) parse_findings[i].paths.push_back(p);
  }
  im.builder.reset();
  im.msg = nullptr;
  im.findings = nullptr;

  res.type = msg.type;
  res.identificatie = msg.header.identificatie.value;
  const bool had_errors =
      std::any_of(parse_findings.begin(), parse_findings.end(),
                  [](const Finding& f) { return f.severity == Severity::error; });
  for (auto& f : parse_findings) res.findings.push_back(std::move(f));
  res.xsd_valid = !had_errors && !im.fatal && im.root_seen;
  if (res.xsd_valid) {
    if (options_.checks == Checks::all) {
      auto rule_findings = rules::check(msg);
      for (auto& f : rule_findings) res.findings.push_back(std::move(f));
    }
    res.message = std::move(msg);
  }
  return res;
}

std::optional<std::string> Validator::compiled_engine_refused(model::Standard standard) {
  if (!impl_->compiled[static_cast<std::size_t>(standard)]) impl_->compile(standard);
  if (options_.engine != Engine::compiled) return std::nullopt;
  return impl_->engines[static_cast<std::size_t>(standard)].refused;
}

ValidationResult Validator::validate_file(const std::filesystem::path& file) {
  auto read = util::read_file(file, options_.max_message_bytes);
  if (read.status == util::ReadFile::Status::too_large) return too_large(file.string(), read.size);
  ValidationResult res;
  res.source = file.string();
  if (read.status != util::ReadFile::Status::ok) {
    Finding f;
    f.rule = "XML";
    f.text = std::move(read.error);
    res.findings.push_back(std::move(f));
    return res;
  }
  const std::string& bytes = read.bytes;
  return validate(bytes, file.string());
}

}  // namespace istd
