// Test harness of the compiled validation engine: loads schemas from memory into a Xerces
// grammar pool (as Validator does for the bundle), hands out the pool's XSModel, validates a
// document with Xerces' validating SAX2 parser (the oracle) and runs the same document through
// a non-validating namespace-aware SAX2 parse feeding an InstanceValidator. Also a small event
// recorder that re-serialises a parsed document after a mutation (drop, duplicate, swap).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/framework/psvi/XSModel.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>

#include "core/xml/utf.hpp"
#include "core/xsd/instance.hpp"
#include "core/xsd/schema.hpp"

namespace istd::xsdtest {

inline std::string narrow(const XMLCh* s) {
  std::string out;
  if (!s) return out;
  for (; *s; ++s) out.push_back(*s < 0x80 ? static_cast<char>(*s) : '?');
  return out;
}
inline std::u16string widen(std::string_view s) {
  std::u16string out;
  for (unsigned char c : s) out.push_back(static_cast<char16_t>(c));  // ASCII file names
  return out;
}
inline const XMLCh* xp(const std::u16string& s) { return reinterpret_cast<const XMLCh*>(s.c_str()); }

struct SchemaFile {
  std::string name;       ///< file name, for imports by schemaLocation
  std::string target_ns;  ///< for imports by namespace
  std::string text;
  bool load = true;       ///< loaded itself (false: only served to imports)
};

/// Collects error messages (errors and fatal errors).
class CollectErrors : public xercesc::DefaultHandler {
 public:
  void error(const xercesc::SAXParseException& e) override { add(e); }
  void fatalError(const xercesc::SAXParseException& e) override { add(e); }
  void warning(const xercesc::SAXParseException&) override {}
  std::vector<std::string> errors;

 private:
  void add(const xercesc::SAXParseException& e) {
    errors.push_back(std::to_string(e.getLineNumber()) + ":" + std::to_string(e.getColumnNumber()) +
                     ": " + narrow(e.getMessage()));
  }
};

/// Serves the in-memory schema files by namespace or file name; an empty document otherwise.
class MemoryResolver : public xercesc::XMLEntityResolver {
 public:
  explicit MemoryResolver(const std::vector<SchemaFile>& files) : files_(files) {}
  xercesc::InputSource* resolveEntity(xercesc::XMLResourceIdentifier* id) override {
    const SchemaFile* f = nullptr;
    if (id->getResourceIdentifierType() == xercesc::XMLResourceIdentifier::SchemaImport &&
        id->getNameSpace())
      for (const auto& c : files_)
        if (!c.target_ns.empty() && c.target_ns == narrow(id->getNameSpace())) f = &c;
    if (!f && id->getSystemId()) {
      std::string sys = narrow(id->getSystemId());
      const auto slash = sys.find_last_of('/');
      if (slash != std::string::npos) sys = sys.substr(slash + 1);
      for (const auto& c : files_)
        if (c.name == sys) f = &c;
    }
    static const char kEmpty[] = "";
    if (!f)
      return new xercesc::MemBufInputSource(reinterpret_cast<const XMLByte*>(kEmpty), 0,
                                            u"refused", false);
    names_.push_back(widen(f->name));
    return new xercesc::MemBufInputSource(reinterpret_cast<const XMLByte*>(f->text.data()),
                                          f->text.size(), xp(names_.back()), false);
  }

 private:
  const std::vector<SchemaFile>& files_;
  std::vector<std::u16string> names_;
};

/// One Xerces grammar pool holding the given schemas.
class XercesSchemas {
 public:
  explicit XercesSchemas(std::vector<SchemaFile> files)
      : files_(std::move(files)),
        pool_(xercesc::XMLPlatformUtils::fgMemoryManager),
        resolver_(files_) {
    using namespace xercesc;
    std::unique_ptr<SAX2XMLReader> r(
        XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, &pool_));
    r->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    r->setFeature(XMLUni::fgXercesSchema, true);
    r->setFeature(XMLUni::fgXercesHandleMultipleImports, true);
    r->setFeature(XMLUni::fgXercesCacheGrammarFromParse, true);
    r->setFeature(XMLUni::fgXercesLoadSchema, true);
    dynamic_cast<SAX2XMLReaderImpl&>(*r).setXMLEntityResolver(&resolver_);
    CollectErrors errs;
    r->setErrorHandler(&errs);
    for (const auto& f : files_) {
      if (!f.load) continue;
      const std::u16string name = widen(f.name);
      MemBufInputSource src(reinterpret_cast<const XMLByte*>(f.text.data()), f.text.size(),
                            xp(name), false);
      Grammar* g = r->loadGrammar(src, Grammar::SchemaGrammarType, true);
      if (!g || !errs.errors.empty())
        throw std::runtime_error("schema " + f.name + " does not compile: " +
                                 (errs.errors.empty() ? std::string("?") : errs.errors[0]));
    }
    pool_.lockPool();
  }

  const xercesc::XSModel& model() {
    bool changed = false;
    xercesc::XSModel* m = pool_.getXSModel(changed);
    if (!m) throw std::runtime_error("no XSModel");
    return *m;
  }

  /// Xerces' errors validating `xml` against the pool (empty: valid).
  std::vector<std::string> xerces_errors(std::string_view xml) {
    using namespace xercesc;
    std::unique_ptr<SAX2XMLReader> r(
        XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, &pool_));
    r->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    r->setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
    r->setFeature(XMLUni::fgSAX2CoreValidation, true);
    r->setFeature(XMLUni::fgXercesDynamic, false);
    r->setFeature(XMLUni::fgXercesSchema, true);
    r->setFeature(XMLUni::fgXercesSchemaFullChecking, false);
    r->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    r->setFeature(XMLUni::fgXercesLoadSchema, false);
    r->setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    r->setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
    CollectErrors errs;
    r->setErrorHandler(&errs);
    MemBufInputSource src(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), u"doc", false);
    try {
      r->parse(src);
    } catch (const SAXParseException& e) {
      errs.errors.push_back("fatal: " + narrow(e.getMessage()));
    }
    return errs.errors;
  }

 private:
  std::vector<SchemaFile> files_;
  xercesc::XMLGrammarPoolImpl pool_;
  MemoryResolver resolver_;
};

/// Feeds a non-validating parse into an InstanceValidator; collects its findings and the
/// parser's well-formedness errors.
class FeedValidator : public xercesc::DefaultHandler {
 public:
  explicit FeedValidator(const xsd::CompiledSchema& schema) : iv_(schema) {}
  std::vector<std::string> findings;

  void startElement(const XMLCh* const uri, const XMLCh* const localname, const XMLCh* const,
                    const xercesc::Attributes& attrs) override {
    attrs_.clear();
    for (XMLSize_t i = 0; i < attrs.getLength(); ++i)
      attrs_.push_back({u16(attrs.getURI(i)), u16(attrs.getLocalName(i)), u16(attrs.getValue(i))});
    if (!iv_.start_element(reinterpret_cast<const char16_t*>(uri),
                           reinterpret_cast<const char16_t*>(localname), attrs_, why_))
      findings.push_back(why_);
  }
  void endElement(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    if (!iv_.end_element(why_)) findings.push_back(why_);
  }
  void characters(const XMLCh* const chars, const XMLSize_t length) override {
    if (!iv_.characters(reinterpret_cast<const char16_t*>(chars), length, why_))
      findings.push_back(why_);
  }
  void ignorableWhitespace(const XMLCh* const chars, const XMLSize_t length) override {
    characters(chars, length);
  }
  void startCDATA() override {
    if (!iv_.cdata_section(why_)) findings.push_back(why_);
  }
  void error(const xercesc::SAXParseException& e) override {
    findings.push_back("parser: " + narrow(e.getMessage()));
  }
  void fatalError(const xercesc::SAXParseException& e) override {
    findings.push_back("parser: " + narrow(e.getMessage()));
  }
  void reset() { iv_.reset(); }

 private:
  static std::u16string_view u16(const XMLCh* s) {
    return s ? std::u16string_view(reinterpret_cast<const char16_t*>(s)) : std::u16string_view();
  }
  xsd::InstanceValidator iv_;
  std::vector<xsd::InstanceValidator::Attribute> attrs_;
  std::string why_;
};

/// The compiled engine's findings on `xml` (empty: valid).
inline std::vector<std::string> compiled_errors(const xsd::CompiledSchema& schema,
                                                std::string_view xml) {
  using namespace xercesc;
  std::unique_ptr<SAX2XMLReader> r(XMLReaderFactory::createXMLReader());
  r->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  r->setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  r->setFeature(XMLUni::fgSAX2CoreValidation, false);
  r->setFeature(XMLUni::fgXercesSchema, false);
  r->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
  FeedValidator feed(schema);
  r->setContentHandler(&feed);
  r->setErrorHandler(&feed);
  r->setLexicalHandler(&feed);
  MemBufInputSource src(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), u"doc", false);
  try {
    r->parse(src);
  } catch (const SAXParseException& e) {
    feed.findings.push_back("parser: " + narrow(e.getMessage()));
  }
  return feed.findings;
}

/// A document as a flat list of events, to mutate and write out again.
struct Event {
  enum Kind { start, end, text } kind;
  std::u16string ns, local, value;  ///< value: the text
  std::vector<std::pair<std::u16string, std::pair<std::u16string, std::u16string>>> attrs;
};

class RecordEvents : public xercesc::DefaultHandler {
 public:
  std::vector<Event> events;
  void startElement(const XMLCh* const uri, const XMLCh* const localname, const XMLCh* const,
                    const xercesc::Attributes& attrs) override {
    Event e{Event::start, s(uri), s(localname), {}, {}};
    for (XMLSize_t i = 0; i < attrs.getLength(); ++i)
      e.attrs.push_back({s(attrs.getURI(i)), {s(attrs.getLocalName(i)), s(attrs.getValue(i))}});
    events.push_back(std::move(e));
  }
  void endElement(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    events.push_back({Event::end, {}, {}, {}, {}});
  }
  void characters(const XMLCh* const chars, const XMLSize_t length) override {
    if (!events.empty() && events.back().kind == Event::text)
      events.back().value.append(reinterpret_cast<const char16_t*>(chars), length);
    else
      events.push_back({Event::text, {}, {}, std::u16string(reinterpret_cast<const char16_t*>(chars), length), {}});
  }

 private:
  static std::u16string s(const XMLCh* p) {
    return p ? std::u16string(reinterpret_cast<const char16_t*>(p)) : std::u16string();
  }
};

inline std::vector<Event> record_events(std::string_view xml) {
  using namespace xercesc;
  std::unique_ptr<SAX2XMLReader> r(XMLReaderFactory::createXMLReader());
  r->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  r->setFeature(XMLUni::fgSAX2CoreValidation, false);
  r->setFeature(XMLUni::fgXercesSchema, false);
  RecordEvents rec;
  r->setContentHandler(&rec);
  MemBufInputSource src(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), u"doc", false);
  r->parse(src);
  return std::move(rec.events);
}

inline void put_escaped_utf8(std::string& out, std::u16string_view s, bool attr) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.size()) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    }
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (attr && c == '"') out += "&quot;";
    else istd::xml::put_utf8(out, c);
  }
}

/// Writes events as XML: every element in the default namespace of its own (declared where it
/// changes), attributes with a declared prefix each.
inline std::string write_events(const std::vector<Event>& events) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  std::vector<std::u16string> default_ns{u""};
  std::vector<std::u16string> names;
  for (const Event& e : events) {
    if (e.kind == Event::text) {
      put_escaped_utf8(out, e.value, false);
    } else if (e.kind == Event::start) {
      out += '<';
      put_escaped_utf8(out, e.local, false);
      if (e.ns != default_ns.back()) {
        out += " xmlns=\"";
        put_escaped_utf8(out, e.ns, true);
        out += '"';
      }
      int n = 0;
      for (const auto& [ns, lv] : e.attrs) {
        std::string prefix;
        if (!ns.empty()) {
          prefix = "p" + std::to_string(n++);
          out += " xmlns:" + prefix + "=\"";
          put_escaped_utf8(out, ns, true);
          out += '"';
          prefix += ':';
        }
        out += ' ' + prefix;
        put_escaped_utf8(out, lv.first, false);
        out += "=\"";
        put_escaped_utf8(out, lv.second, true);
        out += '"';
      }
      out += '>';
      default_ns.push_back(e.ns);
      names.push_back(e.local);
    } else {
      out += "</";
      put_escaped_utf8(out, names.back(), false);
      out += '>';
      names.pop_back();
      default_ns.pop_back();
    }
  }
  return out;
}

/// The index one past the end event of the element starting at `i`.
inline std::size_t element_end(const std::vector<Event>& ev, std::size_t i) {
  int depth = 0;
  for (std::size_t j = i; j < ev.size(); ++j) {
    if (ev[j].kind == Event::start) ++depth;
    if (ev[j].kind == Event::end && --depth == 0) return j + 1;
  }
  return ev.size();
}

}  // namespace istd::xsdtest
