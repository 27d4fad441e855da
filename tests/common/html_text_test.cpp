#include <catch2/catch.hpp>

#include "invites/html_text.hpp"

using invites::html_to_text;

TEST_CASE("html_to_text collapses whitespace and breaks lines at blocks") {
  CHECK(html_to_text("  <p>One\n   two</p>\n\n<p>Three</p>  ") == "One two\n\nThree");
  CHECK(html_to_text("a<br>b<br/>c<BR />d") == "a\nb\nc\nd");
  CHECK(html_to_text("<div>a</div><div>b</div>") == "a\nb");
  CHECK(html_to_text("<ul><li>one</li><li>two</li></ul><p>after</p>") == "- one\n- two\n\nafter");
  CHECK(html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == "a b\nc");
  CHECK(html_to_text("") == "");
}

TEST_CASE("html_to_text decodes entities") {
  CHECK(html_to_text("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&#39; &#x2F; &#228;&nbsp;x") ==
        "a & b <c> \"d\" 'e' / \xC3\xA4 x");
  CHECK(html_to_text("AT&T &unknown; & more") == "AT&T &unknown; & more");
  CHECK(html_to_text("1 < 2") == "1 < 2");
}

TEST_CASE("html_to_text keeps link targets") {
  CHECK(html_to_text("<a href=\"https://x.example/a?b=1&amp;c=2\">Accept</a>") ==
        "Accept (https://x.example/a?b=1&c=2)");
  CHECK(html_to_text("<a href='https://x.example'>https://x.example</a>") == "https://x.example");
  CHECK(html_to_text("<a href=\"https://x.example\"></a>") == "https://x.example");
  CHECK(html_to_text("<a href=\"mailto:help@x.example\">help@x.example</a>") == "help@x.example");
  CHECK(html_to_text("<a href=\"#top\">Top</a>") == "Top");
  CHECK(html_to_text("<a name=\"n\">plain</a>") == "plain");
}

TEST_CASE("html_to_text drops comments, scripts, styles and the head") {
  CHECK(html_to_text("<!DOCTYPE html><html><head><title>T</title><style>p > a {}</style></head>"
                     "<body><!-- note --><script>if (a < b) x();</script><p>Body</p></body></html>") == "Body");
  CHECK(html_to_text("<p title=\"a > b\">x</p>") == "x");
}
