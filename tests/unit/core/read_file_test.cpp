#include "core/util/read_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

using istd::util::read_file;
using Status = istd::util::ReadFile::Status;

namespace {
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("istd-read-file-" + std::to_string(::getpid()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path / name, std::ios::binary) << bytes;
    return path / name;
  }
};
}  // namespace

TEST_SUITE("read_file") {
  TEST_CASE("read_file: reads a file whole, including NUL bytes, up to the limit") {
    TempDir t;
    const std::string bytes = std::string("<a>\0</a>", 8) + std::string(10000, 'x');
    auto r = read_file(t.write("m.xml", bytes), bytes.size());
    CHECK(r.status == Status::ok);
    CHECK(r.bytes == bytes);
    CHECK(r.size == bytes.size());
    auto empty = read_file(t.write("e.xml", ""), 10);
    CHECK(empty.status == Status::ok);
    CHECK(empty.bytes.empty());
  }

  TEST_CASE("read_file: a file over the limit is not read - errors say what happened") {
    TempDir t;
    auto big = read_file(t.write("big.xml", std::string(101, 'x')), 100);
    CHECK(big.status == Status::too_large);
    CHECK(big.size == 101);
    CHECK(big.bytes.empty());

    auto missing = read_file(t.path / "nope.xml", 100);
    CHECK(missing.status == Status::error);
    CHECK(missing.error.find("cannot open the file") != std::string::npos);
    CHECK(missing.error.find("No such file") != std::string::npos);

    auto dir = read_file(t.path, 100);
    CHECK(dir.status == Status::error);
    CHECK(dir.error.find("directory") != std::string::npos);
  }

  TEST_CASE("read_file: a FIFO is refused at once, without waiting for a writer") {
    TempDir t;
    const auto fifo = t.path / "pipe.xml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto r = read_file(fifo, 100);
    CHECK(r.status == Status::error);
    CHECK(r.error.find("FIFO") != std::string::npos);
  }

  TEST_CASE("read_file: a file over the limit can be kept open to be streamed") {
    TempDir t;
    const std::string bytes(150, 'y');
    auto big = read_file(t.write("big.xml", bytes), 100, true);
    REQUIRE(big.status == Status::too_large);
    CHECK(big.size == 150);
    CHECK(big.bytes.empty());
    REQUIRE(big.file);
    std::string back(150, '\0');
    CHECK(::pread(big.file.get(), back.data(), back.size(), 0) == 150);
    CHECK(back == bytes);
    CHECK_FALSE(read_file(t.path / "big.xml", 100).file);  // closed unless asked
  }

  TEST_CASE("read_file: sizes for people") {
    using istd::util::size_text;
    CHECK(size_text(26214400) == "25 MB");
    CHECK(size_text(27262976 + 104857) == "26.1 MB");
    CHECK(size_text(2048) == "2 KB");
    CHECK(size_text(3000) == "2.9 KB");
    CHECK(size_text(1) == "1 byte");
    CHECK(size_text(900) == "900 bytes");
  }
}
