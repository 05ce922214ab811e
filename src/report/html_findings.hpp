// The HTML page of a findings report (header, filters, the findings table), which the
// command-specific reports (triage's inventory, the logs' attackers and chart) extend.
#pragma once

#include "report/html_page.hpp"
#include "report/report.hpp"

namespace vigil::report {

HtmlPage findings_page(const TriageReport& r);

}  // namespace vigil::report
