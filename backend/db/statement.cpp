#include "db/statement.hpp"

#include <stdexcept>
#include <variant>

#include <cppconn/datatype.h>
#include <cppconn/parameter_metadata.h>

#include "db/sql_script.hpp"

namespace invites::db {

Statement::Statement(sql::Connection& connection, std::string_view text)
    : statement_(connection.prepareStatement(sql::SQLString(text.data(), text.size()))),
      excerpt_(sql_excerpt(text)),
      placeholders_(static_cast<unsigned>(statement_->getParameterMetaData()->getParameterCount())) {}

Statement::Statement(sql::Connection& connection, const SqlQuery& query) : Statement(connection, query.text) {
  bind_each(query.params);
}

std::uint64_t Statement::update() {
  finish_binding();
  return static_cast<std::uint64_t>(statement_->executeUpdate());
}

Rows Statement::query() & {
  finish_binding();
  return Rows(std::unique_ptr<sql::ResultSet>(statement_->executeQuery()));
}

Rows Statement::query() && {
  finish_binding();
  std::unique_ptr<sql::ResultSet> result(statement_->executeQuery());
  return Rows(std::move(result), std::move(statement_));
}

void Statement::bind_one(const std::string& value) { statement_->setString(next_placeholder(), value); }

void Statement::bind_one(std::string_view value) {
  statement_->setString(next_placeholder(), sql::SQLString(value.data(), value.size()));
}

void Statement::bind_one(bool value) { statement_->setBoolean(next_placeholder(), value); }

void Statement::bind_one(double value) { statement_->setDouble(next_placeholder(), value); }

void Statement::bind_one(std::nullopt_t) { statement_->setNull(next_placeholder(), sql::DataType::SQLNULL); }

void Statement::bind_one(const SqlParam& value) {
  std::visit([this](const auto& alternative) { bind_one(alternative); }, value);
}

unsigned Statement::next_placeholder() {
  if (bound_ == placeholders_) {
    throw std::logic_error("more values than the " + std::to_string(placeholders_) + " placeholders of: " + excerpt_);
  }
  return ++bound_;
}

void Statement::finish_binding() {
  if (bound_ != placeholders_) {
    const unsigned bound = bound_;
    bound_ = 0;
    throw std::logic_error(std::to_string(bound) + " values for the " + std::to_string(placeholders_) +
                           " placeholders of: " + excerpt_);
  }
  bound_ = 0;
}

Rows stream(sql::Connection& connection, const char* text) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
  std::unique_ptr<sql::ResultSet> result(statement->executeQuery(text));
  return Rows(std::move(result), std::move(statement));
}

std::string placeholders(std::size_t count, std::string_view marker) {
  std::string out;
  out.reserve(count * (marker.size() + 2));
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += marker;
  }
  return out;
}

std::uint64_t last_insert_id(sql::Connection& connection) {
  return query_row<std::uint64_t>(connection, "SELECT LAST_INSERT_ID()").value();
}

}  // namespace invites::db
