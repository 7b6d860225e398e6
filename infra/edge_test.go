package infra

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// The managed CloudFront policies the distribution uses, by their fixed ids
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html,
// .../using-managed-origin-request-policies.html).
const (
	cachingDisabled             = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	cachingOptimized            = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	allViewerExceptHostHeader   = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
	allViewerAndCloudFront2022  = "33f36d7e-f396-46d9-90e0-52428a34d9dc"
	wantLimitedRoutesRule       = "limited-routes-per-ip"
	wantAllRequestsRule         = "all-requests-per-ip"
	wantCommonRuleSet           = "AWSManagedRulesCommonRuleSet"
	wantKnownBadInputsRuleGroup = "AWSManagedRulesKnownBadInputsRuleSet"
)

// wafStatement is the part of a WAF statement the tests read.
type wafStatement struct {
	ByteMatchStatement *struct {
		FieldToMatch         map[string]any
		PositionalConstraint string
		SearchString         string
		TextTransformations  []struct{ Type string }
	}
	AndStatement *struct{ Statements []wafStatement }
	OrStatement  *struct{ Statements []wafStatement }
}

type wafRule struct {
	Name      string
	Priority  float64
	Statement struct {
		RateBasedStatement *struct {
			AggregateKeyType    string
			Limit               float64
			EvaluationWindowSec float64
			ScopeDownStatement  *wafStatement
		}
		ManagedRuleGroupStatement *struct {
			VendorName, Name    string
			RuleActionOverrides []struct {
				Name        string
				ActionToUse map[string]any
			}
		}
	}
	Action *struct {
		Block *struct {
			CustomResponse struct {
				ResponseCode          float64
				CustomResponseBodyKey string
				ResponseHeaders       []struct{ Name, Value string }
			}
		}
	}
	OverrideAction map[string]any
}

// matches returns the field and value of a single exact byte match.
func (w wafStatement) match(t *testing.T) (field, value string) {
	t.Helper()
	b := w.ByteMatchStatement
	if b == nil || len(b.FieldToMatch) != 1 || b.PositionalConstraint != "EXACTLY" {
		t.Fatalf("statement %+v: want one exact byte match", w)
	}
	for field = range b.FieldToMatch {
	}
	return field, b.SearchString
}

func TestEdgeWebACL(t *testing.T) {
	s := stacks(t)
	acl := s.fullEdge
	// GIVEN the edge option on, without an existing web ACL
	// WHEN the stack it adds is read
	// THEN it is in us-east-1, in the API stack's account, and holds one
	// CLOUDFRONT-scope web ACL that allows what no rule blocks
	if acl.region != "us-east-1" {
		t.Errorf("web ACL stack region: got %q, want us-east-1", acl.region)
	}
	_, res := acl.cfn.one(t, "AWS::WAFv2::WebACL")
	var got struct {
		Scope         string
		DefaultAction map[string]any
		Rules         []wafRule
	}
	remarshal(t, res.Properties, &got)
	if got.Scope != "CLOUDFRONT" {
		t.Errorf("scope: got %q, want CLOUDFRONT", got.Scope)
	}
	if _, ok := got.DefaultAction["Allow"]; !ok || len(got.DefaultAction) != 1 {
		t.Errorf("default action: got %v, want Allow", got.DefaultAction)
	}

	rules := map[string]wafRule{}
	var names []string
	for _, r := range got.Rules {
		rules[r.Name] = r
		names = append(names, r.Name)
	}
	if want := []string{wantLimitedRoutesRule, wantAllRequestsRule, wantCommonRuleSet, wantKnownBadInputsRuleGroup}; !slices.Equal(names, want) {
		t.Fatalf("rules: got %v, want %v (rate rules first)", names, want)
	}

	// AND each rate rule counts per client IP over five minutes, with its
	// limit, and answers 429 with Retry-After
	for name, limit := range map[string]float64{wantLimitedRoutesRule: 100, wantAllRequestsRule: 3000} {
		r := rules[name]
		rate := r.Statement.RateBasedStatement
		if rate == nil {
			t.Fatalf("%s: not a rate-based rule", name)
		}
		if rate.AggregateKeyType != "IP" || rate.Limit != limit || rate.EvaluationWindowSec != 300 {
			t.Errorf("%s: got key %s limit %v window %v s, want IP %v 300 s", name, rate.AggregateKeyType, rate.Limit, rate.EvaluationWindowSec, limit)
		}
		if r.Action == nil || r.Action.Block == nil || r.Action.Block.CustomResponse.ResponseCode != 429 ||
			!slices.Contains(r.Action.Block.CustomResponse.ResponseHeaders, struct{ Name, Value string }{"Retry-After", "300"}) {
			t.Errorf("%s: action %+v, want block with 429 and Retry-After: 300", name, r.Action)
		}
	}
	if sd := rules[wantAllRequestsRule].Statement.RateBasedStatement.ScopeDownStatement; sd != nil {
		t.Errorf("%s: scope-down %+v, want every request counted", wantAllRequestsRule, sd)
	}

	// AND the tighter rule counts only POSTs to the creating, joining and
	// recovery routes: method POST and one of their paths, URL-decoded
	sd := rules[wantLimitedRoutesRule].Statement.RateBasedStatement.ScopeDownStatement
	if sd == nil || sd.AndStatement == nil || len(sd.AndStatement.Statements) != 2 {
		t.Fatalf("%s: scope-down %+v, want method AND (one of the paths)", wantLimitedRoutesRule, sd)
	}
	if field, value := sd.AndStatement.Statements[0].match(t); field != "Method" || value != "POST" {
		t.Errorf("scope-down method: got %s = %q, want Method = POST", field, value)
	}
	or := sd.AndStatement.Statements[1].OrStatement
	if or == nil {
		t.Fatalf("scope-down paths: got %+v, want an OR of paths", sd.AndStatement.Statements[1])
	}
	var paths []string
	for _, st := range or.Statements {
		field, value := st.match(t)
		if field != "UriPath" || len(st.ByteMatchStatement.TextTransformations) != 1 || st.ByteMatchStatement.TextTransformations[0].Type != "URL_DECODE" {
			t.Errorf("scope-down path %q: field %s transformations %+v, want UriPath URL-decoded", value, field, st.ByteMatchStatement.TextTransformations)
		}
		paths = append(paths, value)
	}
	sort.Strings(paths)
	if want := []string{"/api/assessments", "/api/partnerships", "/api/recover", "/assessments/new", "/partnerships/new", "/recover"}; !slices.Equal(paths, want) {
		t.Errorf("scope-down paths: got %v, want %v", paths, want)
	}

	// AND AWS's managed groups run with their own actions, except the 8 KB
	// body rule, which only counts (RASP takes bodies up to 64 KB)
	for _, name := range []string{wantCommonRuleSet, wantKnownBadInputsRuleGroup} {
		r := rules[name]
		m := r.Statement.ManagedRuleGroupStatement
		if m == nil || m.VendorName != "AWS" || m.Name != name {
			t.Errorf("%s: statement %+v, want AWS's managed group %s", name, m, name)
			continue
		}
		if _, ok := r.OverrideAction["None"]; !ok {
			t.Errorf("%s: override action %v, want None", name, r.OverrideAction)
		}
		var counted []string
		for _, o := range m.RuleActionOverrides {
			if _, ok := o.ActionToUse["Count"]; ok {
				counted = append(counted, o.Name)
			}
		}
		want := []string(nil)
		if name == wantCommonRuleSet {
			want = []string{"SizeRestrictions_BODY"}
		}
		if !slices.Equal(counted, want) {
			t.Errorf("%s: rules set to count %v, want %v", name, counted, want)
		}
	}

	// AND what it blocks or counts is logged, with tokens redacted, to a
	// log group WAF accepts
	_, logging := acl.cfn.one(t, "AWS::WAFv2::LoggingConfiguration")
	doc := jsonString(t, logging.Properties)
	for _, want := range []string{`{"QueryString":{}}`, `{"SingleHeader":{"Name":"authorization"}}`, `{"SingleHeader":{"Name":"cookie"}}`,
		`"DefaultBehavior":"DROP"`, `{"ActionCondition":{"Action":"BLOCK"}}`, `:log-group:aws-waf-logs-`} {
		if !strings.Contains(doc, want) {
			t.Errorf("logging configuration: %s missing in %s", want, doc)
		}
	}
	if strings.Contains(doc, ":log-group:aws-waf-logs-RaspFullEdge:*") {
		t.Errorf("logging destination ends with :*, which WAF refuses: %s", doc)
	}
}

func TestEdgeDistribution(t *testing.T) {
	s := stacks(t)
	tests := []struct {
		stack *stackUnderTest
		// webACL is the ARN the distribution names, or "" for the one
		// read from the us-east-1 stack.
		webACL        string
		requestPolicy string
		customDomain  bool
	}{
		{s.full, "", allViewerAndCloudFront2022, true},
		{s.edgeOnly, existingWebACL, allViewerExceptHostHeader, false},
	}
	for _, tt := range tests {
		t.Run(tt.stack.name, func(t *testing.T) {
			c := tt.stack.cfn
			// GIVEN the edge option on
			// WHEN the distribution is read
			cdnID, res := c.one(t, "AWS::CloudFront::Distribution")
			type behavior struct {
				PathPattern, CachePolicyId, OriginRequestPolicyId, ViewerProtocolPolicy, TargetOriginId string
				AllowedMethods                                                                          []string
			}
			var got struct {
				DistributionConfig struct {
					Aliases              []string
					DefaultCacheBehavior behavior
					CacheBehaviors       []behavior
					Origins              []struct {
						Id                 string
						DomainName         any
						CustomOriginConfig struct {
							OriginProtocolPolicy string
							OriginSSLProtocols   []string
						}
						OriginCustomHeaders []struct {
							HeaderName  string
							HeaderValue any
						}
					}
					ViewerCertificate *struct {
						AcmCertificateArn, MinimumProtocolVersion, SslSupportMethod string
					}
					WebACLId any
				}
			}
			remarshal(t, res.Properties, &got)
			dc := got.DistributionConfig

			// THEN the web ACL is associated with it: the given ARN, or the
			// ACL of the us-east-1 stack through CDK's cross-region reader
			if tt.webACL != "" {
				if dc.WebACLId != tt.webACL {
					t.Errorf("WebACLId: got %v, want %s", dc.WebACLId, tt.webACL)
				}
			} else {
				reader := refs(dc.WebACLId)
				if len(reader) != 1 || c.Resources[reader[0]].Type != "Custom::CrossRegionExportReader" {
					t.Fatalf("WebACLId: got %v, want the cross-region export reader's value", dc.WebACLId)
				}
				param := dc.WebACLId.(map[string]any)["Fn::GetAtt"].([]any)[1].(string)
				aclID, _ := s.fullEdge.cfn.one(t, "AWS::WAFv2::WebACL")
				_, writer := s.fullEdge.cfn.one(t, "Custom::CrossRegionExportWriter")
				exported := writer.Properties["WriterProps"].(map[string]any)["exports"].(map[string]any)[param]
				if ids := refs(exported); !slices.Equal(ids, []string{aclID}) || !strings.Contains(jsonString(t, exported), `"Arn"`) {
					t.Errorf("export %s: got %v, want the web ACL's ARN", param, exported)
				}
			}

			// AND nothing but the stylesheet is cached; every method reaches
			// the API; HTTP is redirected to HTTPS; the app gets what it needs
			if len(dc.Origins) != 1 || dc.Origins[0].CustomOriginConfig.OriginProtocolPolicy != "https-only" ||
				!slices.Equal(dc.Origins[0].CustomOriginConfig.OriginSSLProtocols, []string{"TLSv1.2"}) {
				t.Fatalf("origins: got %+v, want one, HTTPS only with TLS 1.2", dc.Origins)
			}
			d := dc.DefaultCacheBehavior
			if d.CachePolicyId != cachingDisabled || d.OriginRequestPolicyId != tt.requestPolicy || d.ViewerProtocolPolicy != "redirect-to-https" {
				t.Errorf("default behaviour: got %+v, want CachingDisabled, %s, redirect-to-https", d, tt.requestPolicy)
			}
			allMethods := []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
			methods := slices.Sorted(slices.Values(d.AllowedMethods))
			if !slices.Equal(methods, allMethods) {
				t.Errorf("default behaviour methods: got %v, want %v", methods, allMethods)
			}
			if len(dc.CacheBehaviors) != 1 {
				t.Fatalf("cache behaviours: got %+v, want /assets/* only", dc.CacheBehaviors)
			}
			if a := dc.CacheBehaviors[0]; a.PathPattern != "/assets/*" || a.CachePolicyId != cachingOptimized ||
				a.OriginRequestPolicyId != tt.requestPolicy || a.ViewerProtocolPolicy != "redirect-to-https" {
				t.Errorf("assets behaviour: got %+v, want /assets/* CachingOptimized %s redirect-to-https", a, tt.requestPolicy)
			}

			// AND with a custom domain CloudFront carries the alias with the
			// us-east-1 certificate and TLS 1.2, its origin is the API's
			// regional domain and the execute-api endpoint is off; without,
			// the origin is the execute-api endpoint, which stays on
			_, api := c.one(t, "AWS::ApiGatewayV2::Api")
			disabled := api.Properties["DisableExecuteApiEndpoint"] == true
			origin := refs(dc.Origins[0].DomainName)
			if tt.customDomain {
				if !slices.Equal(dc.Aliases, []string{tt.stack.props.DomainName}) {
					t.Errorf("aliases: got %v, want %s", dc.Aliases, tt.stack.props.DomainName)
				}
				if vc := dc.ViewerCertificate; vc == nil || vc.AcmCertificateArn != tt.stack.props.EdgeCertificateArn ||
					vc.MinimumProtocolVersion != "TLSv1.2_2021" || vc.SslSupportMethod != "sni-only" {
					t.Errorf("viewer certificate: got %+v, want %s, TLSv1.2_2021, sni-only", vc, tt.stack.props.EdgeCertificateArn)
				}
				if !disabled {
					t.Errorf("API: DisableExecuteApiEndpoint %v, want true", api.Properties["DisableExecuteApiEndpoint"])
				}
				if len(origin) != 1 || c.Resources[origin[0]].Type != "AWS::ApiGatewayV2::DomainName" {
					t.Errorf("origin: got %v, want the API's regional domain", dc.Origins[0].DomainName)
				}
				if target := refs(c.Outputs["ApiDomainTarget"]["Value"]); !slices.Equal(target, []string{cdnID}) {
					t.Errorf("ApiDomainTarget output: got %v, want the distribution", c.Outputs["ApiDomainTarget"])
				}
			} else {
				if len(dc.Aliases) != 0 || disabled {
					t.Errorf("aliases %v, execute-api disabled %v: want none and false without a custom domain", dc.Aliases, disabled)
				}
				if len(origin) != 1 || c.Resources[origin[0]].Type != "AWS::ApiGatewayV2::Api" || !strings.Contains(jsonString(t, dc.Origins[0].DomainName), ".execute-api.") {
					t.Errorf("origin: got %v, want the API's execute-api host", dc.Origins[0].DomainName)
				}
			}

			// AND CloudFront sends the origin secret, generated in Secrets
			// Manager and read by a dynamic reference, never in the template
			secretID, _ := c.one(t, "AWS::SecretsManager::Secret")
			isSecret := func(v any) bool {
				return slices.Equal(refs(v), []string{secretID}) && strings.Contains(jsonString(t, v), "{{resolve:secretsmanager:")
			}
			if !strings.EqualFold(originSecretHeader, httpapi.OriginSecretHeader) {
				t.Errorf("CloudFront sends %s, the functions read %s", originSecretHeader, httpapi.OriginSecretHeader)
			}
			if h := dc.Origins[0].OriginCustomHeaders; len(h) != 1 || h[0].HeaderName != originSecretHeader || !isSecret(h[0].HeaderValue) {
				t.Errorf("origin custom headers: got %+v, want %s from the secret", h, originSecretHeader)
			}

			// AND every HTTP function reads the client from CloudFront's
			// header and refuses requests without the secret, and links use
			// the public origin
			for _, name := range routes.Functions() {
				vars := c.Resources[tt.stack.functions[name].function].Properties["Environment"].(map[string]any)["Variables"].(map[string]any)
				want := any(clientIPHeader)
				if len(routes.For(name)) == 0 {
					want = nil
					if v, ok := vars["EDGE_ORIGIN_SECRET"]; ok {
						t.Errorf("%s: EDGE_ORIGIN_SECRET %v, want unset on a function without routes", name, v)
					}
				} else if !isSecret(vars["EDGE_ORIGIN_SECRET"]) {
					t.Errorf("%s: EDGE_ORIGIN_SECRET %v, want the secret", name, vars["EDGE_ORIGIN_SECRET"])
				}
				if got := vars["CLIENT_IP_HEADER"]; got != want {
					t.Errorf("%s: CLIENT_IP_HEADER %v, want %v", name, got, want)
				}
				base := jsonString(t, vars["BASE_URL"])
				if tt.customDomain && base != `"https://rasp.example.gov.uk"` ||
					!tt.customDomain && (!strings.Contains(base, "https://") || !slices.Equal(refs(vars["BASE_URL"]), []string{cdnID})) {
					t.Errorf("%s: BASE_URL %s, want the public https origin", name, base)
				}
			}
		})
	}
	if got := fmt.Sprint(s.edgeOnly.cfn.Outputs["ApiUrl"]["Value"]); !strings.Contains(got, "https://") {
		t.Errorf("edgeOnly ApiUrl: got %s, want the distribution's https URL", got)
	}
}

func TestEdgeOff(t *testing.T) {
	s := stacks(t)
	// GIVEN the edge option off (the default)
	// WHEN the minimal stack is read
	// THEN there is no distribution, no web ACL, no us-east-1 stack, the
	// execute-api endpoint is on and functions read sourceIp
	for _, typ := range []string{"AWS::CloudFront::Distribution", "AWS::WAFv2::WebACL", "Custom::CrossRegionExportReader", "AWS::SecretsManager::Secret"} {
		if n := len(s.minimal.cfn.ofType(typ)); n != 0 {
			t.Errorf("%s: got %d, want 0", typ, n)
		}
	}
	if st := s.app.Node().TryFindChild(jsii.String(edgeStackID("RaspMinimal"))); st != nil {
		t.Errorf("app: got stack %s, want none", *st.Node().Path())
	}
	_, api := s.minimal.cfn.one(t, "AWS::ApiGatewayV2::Api")
	if api.Properties["DisableExecuteApiEndpoint"] == true {
		t.Errorf("API: execute-api endpoint disabled without the edge")
	}
	for _, name := range routes.Functions() {
		vars := s.minimal.cfn.Resources[s.minimal.functions[name].function].Properties["Environment"].(map[string]any)["Variables"].(map[string]any)
		for _, k := range []string{"CLIENT_IP_HEADER", "EDGE_ORIGIN_SECRET"} {
			if v, ok := vars[k]; ok {
				t.Errorf("%s: %s %v, want unset", name, k, v)
			}
		}
	}
}
