// --format xlsx on the findings commands (issue 20, 6): the seeds' "export to Excel" — a
// workbook with the findings and, for triage, one sheet per inventory table; refused without
// --out, and never written inside the inspected root.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <map>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;

namespace {

// Every member of the .xlsx (a zip) by name.
std::map<std::string, std::string> unzip(const std::string& path) {
  std::map<std::string, std::string> out;
  struct archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK) {
    struct archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      std::string content, name = archive_entry_pathname(e);
      char buf[1 << 14];
      la_ssize_t n;
      while ((n = archive_read_data(a, buf, sizeof buf)) > 0) content.append(buf, static_cast<std::size_t>(n));
      out[name] = std::move(content);
    }
  }
  archive_read_free(a);
  return out;
}

std::string all_text(const std::map<std::string, std::string>& members) {
  std::string s;
  for (const auto& [name, text] : members)
    if (name.starts_with("xl/")) s += text;
  return s;
}

}  // namespace

TEST(XlsxExport, TriageWorkbookHasFindingsAndInventorySheets) {
  TempDir root("vigil-xlsx"), out("vigil-xlsx-out");
  root.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\n");
  root.write("etc/shadow", "root:*:1::::::\ntoor:$6$s$h:1::::::\n");
  root.write("etc/group", "root:x:0:\n");
  auto r = run_vigil({"triage", "--root", root.path(), "--format", "xlsx", "--out", out / "triage.xlsx",
                      "--no-suppress", "--fail-on", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto members = unzip(out / "triage.xlsx");
  ASSERT_TRUE(members.contains("xl/workbook.xml")) << "not an .xlsx";
  const auto& book = members["xl/workbook.xml"];
  EXPECT_NE(book.find("name=\"Findings\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"users\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"sudo_rules\""), std::string::npos) << book;
  auto text = all_text(members);
  EXPECT_NE(text.find("account.uid0-duplicate"), std::string::npos) << "the finding's rule in a cell";
  EXPECT_NE(text.find("toor"), std::string::npos);

  auto no_out = run_vigil({"triage", "--root", root.path(), "--format", "xlsx"});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_NE(no_out.err.find("give --out FILE.xlsx"), std::string::npos) << no_out.err;
  auto inside = run_vigil({"triage", "--root", root.path(), "--format", "xlsx", "--out", root / "x.xlsx"});
  EXPECT_EQ(inside.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(root / "x.xlsx"));
}

TEST(XlsxExport, AuditPatchesAndScanPortsWriteWorkbooksToo) {
  TempDir root("vigil-xlsx"), out("vigil-xlsx-out");
  root.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  root.write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
  auto p = run_vigil({"audit", "patches", "--root", root.path(), "--format", "xlsx", "--out", out / "p.xlsx"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(all_text(unzip(out / "p.xlsx")).find("patch.no-lists"), std::string::npos);
}
