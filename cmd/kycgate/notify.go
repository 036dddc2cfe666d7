package main

import (
	"log/slog"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/jobs"
	"github.com/kycgate/kycgate/notify"
	"github.com/kycgate/kycgate/reasons"
)

// notifiers builds the email and webhook senders the configuration asks
// for; a nil sender means that channel is off (its jobs complete unsent).
func notifiers(cfg *Config, log *slog.Logger) (jobs.Mailer, jobs.WebhookSender) {
	var mailer jobs.Mailer
	var hook jobs.WebhookSender
	if cfg.SMTP.Addr != "" {
		mode := notify.TLSMode(cfg.SMTP.TLS)
		if mode == "" {
			mode = notify.TLSStartTLS
		}
		mailer = &notify.SMTP{Addr: cfg.SMTP.Addr, From: cfg.SMTP.From, Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password, TLS: mode, Render: renderEmail}
	} else {
		log.Info("email notices off: no SMTP server configured")
	}
	if cfg.Webhook.URL != "" {
		hook = &notify.Webhook{URL: cfg.Webhook.URL, Secret: []byte(cfg.Webhook.Secret)}
	} else {
		log.Info("webhooks off: no webhook URL configured")
	}
	return mailer, hook
}

// renderEmail writes the email of a decision with the same words as the
// inbox message, and a proper HTML part.
func renderEmail(a *kycgate.Applicant, d *kycgate.Decision, _ *kycgate.Message) (notify.Email, error) {
	n := reasons.RenderNotice(d, a.Locale)
	return notify.Email{Subject: n.Subject, Text: n.Text, HTML: n.HTML}, nil
}
