#include "mail/mime_tree.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace invites::mail {
namespace {

void initialize_gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

GMimeObject* as_object(void* object) { return static_cast<GMimeObject*>(object); }

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trimmed(const char* value) {
  std::string_view text = value == nullptr ? std::string_view() : std::string_view(value);
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// A GObject reference released at scope end.
template <typename T>
struct Unref {
  void operator()(T* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using Owned = std::unique_ptr<T, Unref<T>>;

}  // namespace

std::optional<std::string> MimeNode::header(std::string_view name) const {
  auto all = headers(name);
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

std::vector<std::string> MimeNode::headers(std::string_view name) const {
  std::vector<std::string> values;
  GMimeHeaderList* list = g_mime_object_get_header_list(as_object(object_));
  const int count = g_mime_header_list_get_count(list);
  const std::string wanted = lowered(name);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    if (lowered(g_mime_header_get_name(header)) == wanted) values.push_back(trimmed(g_mime_header_get_value(header)));
  }
  return values;
}

std::string MimeNode::content_type() const {
  GMimeObject* object = as_object(object_);
  if (GMIME_IS_MESSAGE(object)) return "message/rfc822";
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "text/plain";
  return lowered(g_mime_content_type_get_media_type(type)) + "/" + lowered(g_mime_content_type_get_media_subtype(type));
}

std::optional<std::string> MimeNode::content_type_parameter(std::string_view name) const {
  GMimeObject* object = as_object(object_);
  if (GMIME_IS_MESSAGE(object)) return std::nullopt;
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return std::nullopt;
  const char* value = g_mime_content_type_get_parameter(type, std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return trimmed(value);
}

std::vector<MimeNode> MimeNode::children() const {
  GMimeObject* object = as_object(object_);
  std::vector<MimeNode> nodes;
  if (GMIME_IS_MESSAGE(object)) {
    if (GMimeObject* body = g_mime_message_get_mime_part(GMIME_MESSAGE(object))) nodes.push_back(MimeNode(body));
  } else if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    for (int i = 0, n = g_mime_multipart_get_count(multipart); i < n; ++i)
      nodes.push_back(MimeNode(g_mime_multipart_get_part(multipart, i)));
  } else if (GMIME_IS_MESSAGE_PART(object)) {
    if (GMimeMessage* enclosed = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object)))
      nodes.push_back(MimeNode(enclosed));
  }
  return nodes;
}

std::string MimeNode::body() const {
  GMimeObject* object = as_object(object_);
  if (!GMIME_IS_PART(object)) return {};
  GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(object));
  if (content == nullptr) return {};
  Owned<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

ParsedMessage::ParsedMessage(std::string_view raw) {
  initialize_gmime_once();
  Owned<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Owned<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GMimeMessage* message = g_mime_parser_construct_message(parser.get(), nullptr);
  // Text without a single header still makes a message, so every caller has a tree.
  message_ = message != nullptr ? message : g_mime_message_new(FALSE);
}

ParsedMessage::~ParsedMessage() { g_object_unref(message_); }

MimeNode ParsedMessage::body() const {
  GMimeObject* body = g_mime_message_get_mime_part(GMIME_MESSAGE(message_));
  return body != nullptr ? MimeNode(body) : message();
}

}  // namespace invites::mail
