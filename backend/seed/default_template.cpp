#include "seed/default_template.hpp"

namespace invites::seed {

repository::StoredTemplate default_invitation_template() {
  repository::StoredTemplate stored;
  stored.name = "Customer portal invitation";
  stored.text.subject = "{{division.name}}: your customer portal invitation";
  stored.text.content_type = ContentType::html;
  stored.text.body = R"(<!doctype html>
<html><body style="margin:0;padding:24px;background:#f3f5f8;font-family:Arial,Helvetica,sans-serif;color:#1d2733">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;padding:32px">
<tr><td>
<h1 style="font-size:20px;margin:0 0 16px">Your {{division.name}} customer portal</h1>
<p>Hello{{#contact.first_name}} {{contact.first_name}}{{/contact.first_name}},</p>
<p>You can now see your bills, pay online and manage your service for account
<strong>{{account.number}}</strong> ({{account.name}}) in our customer portal.</p>
<p style="margin:28px 0"><a href="{{invite.url}}" style="background:#1f6feb;color:#ffffff;text-decoration:none;padding:12px 22px;border-radius:6px">Activate my portal account</a></p>
<p>This link is personal and can be used once, until {{invite.expires_on}}.
If you did not expect this email you can ignore it.</p>
<p>Questions? Reply to this email or write to {{sender.email}}.</p>
</td></tr></table>
</td></tr></table>
</body></html>
)";
  stored.text.text_body = R"(Hello{{#contact.first_name}} {{contact.first_name}}{{/contact.first_name}},

You can now see your bills, pay online and manage your service for account
{{account.number}} ({{account.name}}) in the {{division.name}} customer portal.

Activate your portal account here:
{{invite.url}}

This link is personal and can be used once, until {{invite.expires_on}}.
If you did not expect this email you can ignore it.

Questions? Reply to this email or write to {{sender.email}}.
)";
  return stored;
}

bool install_default_template(sql::Connection& connection) {
  const auto stored = default_invitation_template();
  if (repository::template_named(connection, stored.type, stored.name)) return false;
  repository::save_template(connection, stored, std::nullopt);
  return true;
}

}  // namespace invites::seed
