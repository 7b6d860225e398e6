package main

import (
	"strings"
	"testing"
)

func TestPropsFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		env         map[string]string
		wantErr     string // substring; "" for none
		wantSender  string
		wantTracing bool
		wantEnv     bool
		wantEdge    bool
	}{
		{name: "nothing set: placeholder sender", env: nil, wantSender: placeholderSender},
		{name: "sender and tracing", env: map[string]string{"RASP_MAIL_FROM": "RASP <rasp@example.gov.uk>", "RASP_TRACING": "true"},
			wantSender: "RASP <rasp@example.gov.uk>", wantTracing: true},
		{name: "account and region from the CDK CLI",
			env:        map[string]string{"RASP_MAIL_FROM": "rasp@example.gov.uk", "CDK_DEFAULT_ACCOUNT": "111111111111", "CDK_DEFAULT_REGION": "eu-west-2"},
			wantSender: "rasp@example.gov.uk", wantEnv: true},
		{name: "bad tracing", env: map[string]string{"RASP_TRACING": "sometimes"}, wantErr: "RASP_TRACING"},
		{name: "domain without certificate", env: map[string]string{"RASP_DOMAIN": "rasp.example.gov.uk"}, wantErr: "set together"},
		{name: "bad alarm address", env: map[string]string{"RASP_ALARM_EMAIL": "ops"}, wantErr: "AlarmEmail"},
		{name: "edge with an existing web ACL",
			env:        map[string]string{"RASP_EDGE": "true", "RASP_EDGE_WEB_ACL_ARN": "arn:aws:wafv2:us-east-1:111111111111:global/webacl/a/b"},
			wantSender: placeholderSender, wantEdge: true},
		{name: "edge with its own web ACL in the CLI's environment",
			env:        map[string]string{"RASP_EDGE": "1", "CDK_DEFAULT_ACCOUNT": "111111111111", "CDK_DEFAULT_REGION": "eu-west-2"},
			wantSender: placeholderSender, wantEnv: true, wantEdge: true},
		{name: "edge off by default", env: map[string]string{"RASP_EDGE": "false"}, wantSender: placeholderSender},
		{name: "bad edge", env: map[string]string{"RASP_EDGE": "maybe"}, wantErr: "RASP_EDGE"},
		{name: "edge without an environment or web ACL", env: map[string]string{"RASP_EDGE": "true"}, wantErr: "account and region"},
		{name: "edge certificate without edge", env: map[string]string{"RASP_EDGE_CERTIFICATE_ARN": "arn:aws:acm:us-east-1:1:certificate/x"}, wantErr: "need Edge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// GIVEN some RASP_* variables
			getenv := func(k string) string { return tt.env[k] }
			// WHEN they are read
			p, err := propsFromEnv(getenv)
			// THEN the props follow them, or the error names the bad one
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if p.MailFrom != tt.wantSender || p.TracingEnabled != tt.wantTracing || (p.Env != nil) != tt.wantEnv || p.Edge != tt.wantEdge {
				t.Errorf("got sender %q tracing %v env %v edge %v, want %q %v %v %v", p.MailFrom, p.TracingEnabled, p.Env != nil, p.Edge,
					tt.wantSender, tt.wantTracing, tt.wantEnv, tt.wantEdge)
			}
		})
	}
}
