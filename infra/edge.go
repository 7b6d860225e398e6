package infra

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// The edge option (RaspStackProps.Edge): CloudFront in front of the HTTP
// API with an AWS WAF web ACL, because WAF cannot attach to an HTTP API.
// A CLOUDFRONT-scope web ACL must be created in us-east-1, so unless an
// existing one is given, NewRaspStack adds a second small stack there and
// reads the ACL's ARN through CDK's cross-region references (an SSM
// parameter written by the us-east-1 stack into the API's region).
// docs/operations.md, "Edge protection (optional)", explains the choices.

// edgeRegion is where CloudFront-scope web ACLs and certificates live.
const edgeRegion = "us-east-1"

// clientIPHeader is the header CloudFront adds with the viewer's address
// ("ip:port"); with the edge option the application's per-client limit reads
// the client from it (CLIENT_IP_HEADER) instead of the request context's
// sourceIp, which would be a CloudFront edge server.
const clientIPHeader = "cloudfront-viewer-address"

// originSecretHeader carries a value only CloudFront and the functions
// know (httpapi.OriginSecretHeader). Without a custom domain the
// execute-api endpoint stays open, because it is CloudFront's origin: a
// caller there could bypass the WAF rules and write its own
// CloudFront-Viewer-Address. The functions refuse any request without the
// secret, the pattern of
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html.
// CloudFront overwrites a header of the same name sent by a viewer
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html).
const originSecretHeader = "X-Origin-Verify"

// newOriginSecret makes the header's value once, at the first deployment,
// in Secrets Manager; the distribution and the functions read it through
// a dynamic reference. Changing it is a new construct id (docs/operations.md).
func newOriginSecret(stack awscdk.Stack) awssecretsmanager.Secret {
	secret := awssecretsmanager.NewSecret(stack, jsii.String("EdgeOriginSecret"), &awssecretsmanager.SecretProps{
		Description: jsii.String("RASP: the value CloudFront sends in X-Origin-Verify, so the functions refuse requests that bypass it"),
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength:     jsii.Number(48),
			ExcludePunctuation: jsii.Bool(true),
		},
	})
	s := []*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-SMG4"),
		Reason: jsii.String("Not a person's credential: it only proves a request came through CloudFront. Both ends " +
			"read it at deployment, so a rotation Lambda could not change it without a deployment; it is replaced by " +
			"deploying a new one (docs/operations.md, Edge protection)."),
	}}
	cdknag.NagSuppressions_AddResourceSuppressions(secret, &s, jsii.Bool(true))
	return secret
}

// Per-IP limits of the web ACL, counted over a five-minute window. A whole
// council may sit behind one NAT address: 40 officers in a workshop each
// opening a page every 4 seconds make 3,000 requests in five minutes, and
// the same 40 starting or joining an assessment twice make 80 creating
// POSTs. Above that, one address is a flood, not a council.
const (
	edgeWindowSeconds   = 300
	edgeGeneralLimit    = 3000 // any request
	edgeLimitedLimit    = 100  // POSTs to the limited routes (limitedRoutes)
	edgeRetryAfter      = "300"
	edgeTooManyRequests = "TooManyRequests"
)

var (
	webACLArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/[^/]+/[^/]+$`)
	edgeCertPattern  = regexp.MustCompile(`^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/.+$`)
)

// validateEdge reports edge settings that cannot make a working stack.
func (p *RaspStackProps) validateEdge() []error {
	var errs []error
	// A CDK token (a value known only at deployment) is checked by
	// CloudFormation, not here. Validate stays plain Go, without jsii.
	concrete := func(s string) bool { return !strings.Contains(s, "${Token[") }
	if !p.Edge {
		if p.EdgeWebACLArn != "" || p.EdgeCertificateArn != "" {
			errs = append(errs, fmt.Errorf("EdgeWebACLArn and EdgeCertificateArn need Edge on"))
		}
		return errs
	}
	if p.EdgeWebACLArn != "" && concrete(p.EdgeWebACLArn) && !webACLArnPattern.MatchString(p.EdgeWebACLArn) {
		errs = append(errs, fmt.Errorf("EdgeWebACLArn %q: want a CLOUDFRONT-scope web ACL, arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>", p.EdgeWebACLArn))
	}
	switch {
	case p.DomainName != "" && p.EdgeCertificateArn == "":
		errs = append(errs, fmt.Errorf("with Edge and DomainName, EdgeCertificateArn is required: an ACM certificate for %s in us-east-1, for CloudFront", p.DomainName))
	case p.DomainName == "" && p.EdgeCertificateArn != "":
		errs = append(errs, fmt.Errorf("EdgeCertificateArn needs DomainName"))
	case p.EdgeCertificateArn != "" && concrete(p.EdgeCertificateArn) && !edgeCertPattern.MatchString(p.EdgeCertificateArn):
		errs = append(errs, fmt.Errorf("EdgeCertificateArn %q: want an ACM certificate in us-east-1 (CloudFront takes no other region)", p.EdgeCertificateArn))
	}
	if p.EdgeWebACLArn == "" {
		// Cross-region references need both stacks in a known account and
		// region.
		env := p.Env
		if env == nil || env.Account == nil || env.Region == nil || !concrete(*env.Account) || !concrete(*env.Region) {
			errs = append(errs, fmt.Errorf("with Edge on and no EdgeWebACLArn, the stack needs its account and region (the CDK CLI sets them from the credentials) to create the web ACL in us-east-1"))
		}
	}
	return errs
}

// edgeStackID is the id of the us-east-1 stack that holds the web ACL.
func edgeStackID(id string) string { return id + "Edge" }

// newEdgeStack is the small us-east-1 stack that holds RASP's web ACL and
// its log group. It returns the ACL.
func newEdgeStack(scope constructs.Construct, id string, props *RaspStackProps) awswafv2.CfnWebACL {
	stack := awscdk.NewStack(scope, jsii.String(edgeStackID(id)), &awscdk.StackProps{
		Description: jsii.String("RASP: the AWS WAF web ACL of the CloudFront distribution in front of stack " + id),
		Env:         &awscdk.Environment{Account: props.Env.Account, Region: jsii.String(edgeRegion)},
		// The API's stack reads the ACL's ARN from here.
		CrossRegionReferences: jsii.Bool(true),
	})
	acl := newWebACL(stack)
	newWebACLLogging(stack, acl)
	return acl
}

// visibility names the metrics of the ACL or a rule. Sampled requests are
// off: they keep whole requests (cookies, the private link's query string)
// for three hours and cannot be redacted; the WAF log keeps what was blocked
// or counted, redacted.
func visibility(name string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
	return &awswafv2.CfnWebACL_VisibilityConfigProperty{
		CloudWatchMetricsEnabled: jsii.Bool(true),
		MetricName:               jsii.String(name),
		SampledRequestsEnabled:   jsii.Bool(false),
	}
}

// byteMatch matches one field exactly, after URL-decoding for paths, so
// that /api/%61ssessments is counted as /api/assessments.
func byteMatch(field *awswafv2.CfnWebACL_FieldToMatchProperty, value, transform string) *awswafv2.CfnWebACL_StatementProperty {
	return &awswafv2.CfnWebACL_StatementProperty{ByteMatchStatement: &awswafv2.CfnWebACL_ByteMatchStatementProperty{
		FieldToMatch:         field,
		PositionalConstraint: jsii.String("EXACTLY"),
		SearchString:         jsii.String(value),
		TextTransformations: &[]any{&awswafv2.CfnWebACL_TextTransformationProperty{
			Priority: jsii.Number(0), Type: jsii.String(transform),
		}},
	}}
}

// limitedScopeDown matches a POST to one of the limited routes.
func limitedScopeDown() *awswafv2.CfnWebACL_StatementProperty {
	var paths []any
	for _, r := range limitedRoutes() {
		if r.Method != "POST" {
			panic(fmt.Sprintf("infra: limited route %s is %s; the edge rule counts POSTs", r.Name, r.Method))
		}
		paths = append(paths, byteMatch(&awswafv2.CfnWebACL_FieldToMatchProperty{UriPath: map[string]any{}}, r.Path, "URL_DECODE"))
	}
	return &awswafv2.CfnWebACL_StatementProperty{AndStatement: &awswafv2.CfnWebACL_AndStatementProperty{Statements: &[]any{
		byteMatch(&awswafv2.CfnWebACL_FieldToMatchProperty{Method: map[string]any{}}, "POST", "NONE"),
		&awswafv2.CfnWebACL_StatementProperty{OrStatement: &awswafv2.CfnWebACL_OrStatementProperty{Statements: &paths}},
	}}}
}

// rateRule blocks an address over limit requests (matching scopeDown, when
// given) in the window with 429 and Retry-After.
func rateRule(name string, priority, limit float64, scopeDown *awswafv2.CfnWebACL_StatementProperty) *awswafv2.CfnWebACL_RuleProperty {
	rate := &awswafv2.CfnWebACL_RateBasedStatementProperty{
		// The address CloudFront sees: a client cannot choose it, unlike
		// X-Forwarded-For (FORWARDED_IP), which nothing in front of
		// CloudFront sets for RASP.
		AggregateKeyType:    jsii.String("IP"),
		Limit:               jsii.Number(limit),
		EvaluationWindowSec: jsii.Number(edgeWindowSeconds),
	}
	if scopeDown != nil {
		rate.ScopeDownStatement = scopeDown
	}
	return &awswafv2.CfnWebACL_RuleProperty{
		Name:      jsii.String(name),
		Priority:  jsii.Number(priority),
		Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: rate},
		Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{
			CustomResponse: &awswafv2.CfnWebACL_CustomResponseProperty{
				ResponseCode:          jsii.Number(429),
				CustomResponseBodyKey: jsii.String(edgeTooManyRequests),
				ResponseHeaders: &[]any{&awswafv2.CfnWebACL_CustomHTTPHeaderProperty{
					Name: jsii.String("Retry-After"), Value: jsii.String(edgeRetryAfter),
				}},
			},
		}},
		VisibilityConfig: visibility("rasp-" + name),
	}
}

// managedRule uses an AWS managed rule group with its own actions, except
// the rules in countOnly, which only count.
func managedRule(group string, priority float64, countOnly ...string) *awswafv2.CfnWebACL_RuleProperty {
	stmt := &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{VendorName: jsii.String("AWS"), Name: jsii.String(group)}
	if len(countOnly) > 0 {
		var overrides []any
		for _, r := range countOnly {
			overrides = append(overrides, &awswafv2.CfnWebACL_RuleActionOverrideProperty{
				Name:        jsii.String(r),
				ActionToUse: &awswafv2.CfnWebACL_RuleActionProperty{Count: &awswafv2.CfnWebACL_CountActionProperty{}},
			})
		}
		stmt.RuleActionOverrides = &overrides
	}
	return &awswafv2.CfnWebACL_RuleProperty{
		Name:             jsii.String(group),
		Priority:         jsii.Number(priority),
		Statement:        &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: stmt},
		OverrideAction:   &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
		VisibilityConfig: visibility("rasp-" + group),
	}
}

// newWebACL is the CLOUDFRONT-scope web ACL: the two per-IP rate rules
// first (so a flood is counted before anything else looks at it), then AWS's
// common rule set and known bad inputs.
func newWebACL(stack awscdk.Stack) awswafv2.CfnWebACL {
	return awswafv2.NewCfnWebACL(stack, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Name:          jsii.String(*stack.StackName() + "-web-acl"),
		Description:   jsii.String("RASP: per-IP rate limits and AWS managed rules in front of the API"),
		Scope:         jsii.String("CLOUDFRONT"),
		DefaultAction: &awswafv2.CfnWebACL_DefaultActionProperty{Allow: &awswafv2.CfnWebACL_AllowActionProperty{}},
		CustomResponseBodies: &map[string]any{edgeTooManyRequests: &awswafv2.CfnWebACL_CustomResponseBodyProperty{
			ContentType: jsii.String("TEXT_PLAIN"),
			Content:     jsii.String("Too many requests from your network. Wait 5 minutes, then try again."),
		}},
		Rules: &[]any{
			rateRule("limited-routes-per-ip", 0, edgeLimitedLimit, limitedScopeDown()),
			rateRule("all-requests-per-ip", 1, edgeGeneralLimit, nil),
			// SizeRestrictions_BODY blocks bodies over 8 KB; RASP takes
			// answers with notes up to its 64 KB body limit, which the
			// application enforces itself.
			managedRule("AWSManagedRulesCommonRuleSet", 2, "SizeRestrictions_BODY"),
			managedRule("AWSManagedRulesKnownBadInputsRuleSet", 3),
		},
		VisibilityConfig: visibility("rasp-web-acl"),
	})
}

// newWebACLLogging sends what the ACL blocked or counted to a log group in
// us-east-1 (WAF logs a CLOUDFRONT ACL only there), with the query string
// (the private link's token), Authorization and Cookie redacted.
func newWebACLLogging(stack awscdk.Stack, acl awswafv2.CfnWebACL) {
	// WAF only delivers to log groups named aws-waf-logs-*.
	name := "aws-waf-logs-" + *stack.StackName()
	awslogs.NewLogGroup(stack, jsii.String("WebAclLogs"), &awslogs.LogGroupProps{
		LogGroupName: jsii.String(name),
		Retention:    logRetention,
	})
	// The destination is the log group's ARN without the ":*" that
	// LogGroup.LogGroupArn ends with, which WAF refuses.
	arn := stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("logs"),
		Resource:     jsii.String("log-group"),
		ResourceName: jsii.String(name),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	header := func(h string) any {
		return &awswafv2.CfnLoggingConfiguration_FieldToMatchProperty{SingleHeader: map[string]any{"Name": h}}
	}
	logging := awswafv2.NewCfnLoggingConfiguration(stack, jsii.String("WebAclLogging"), &awswafv2.CfnLoggingConfigurationProps{
		ResourceArn:           acl.AttrArn(),
		LogDestinationConfigs: &[]any{arn},
		RedactedFields: &[]any{
			&awswafv2.CfnLoggingConfiguration_FieldToMatchProperty{QueryString: map[string]any{}},
			header("authorization"),
			header("cookie"),
		},
		// CDK passes this property through as JSON, so the keys are
		// CloudFormation's own.
		LoggingFilter: map[string]any{
			"DefaultBehavior": "DROP",
			"Filters": []any{map[string]any{
				"Behavior":    "KEEP",
				"Requirement": "MEETS_ANY",
				"Conditions": []any{
					map[string]any{"ActionCondition": map[string]any{"Action": "BLOCK"}},
					map[string]any{"ActionCondition": map[string]any{"Action": "COUNT"}},
				},
			}},
		},
	})
	logging.Node().AddDependency(stack.Node().FindChild(jsii.String("WebAclLogs")))
}

// newDistribution puts CloudFront, with the web ACL, in front of the API.
//
// Without a custom domain the origin is the API's execute-api endpoint and
// CloudFront sends it the origin's own Host (AllViewerExceptHostHeader, the
// managed policy meant for API Gateway origins). With one, the execute-api
// endpoint is disabled, the origin is the API's regional custom domain, and
// the viewer's Host (the custom domain) is forwarded so API Gateway finds the
// domain's mapping (AllViewerAndCloudFrontHeaders-2022-06). Both policies
// forward every query string, cookie, Authorization and
// CloudFront-Viewer-Address.
func newDistribution(stack awscdk.Stack, props *RaspStackProps, api awsapigatewayv2.HttpApi, domain awsapigatewayv2.DomainName, webACLArn *string, originSecret awssecretsmanager.Secret) awscloudfront.Distribution {
	originDomain := jsii.String(*api.ApiId() + ".execute-api." + *stack.Region() + "." + *stack.UrlSuffix())
	request := awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER()
	if domain != nil {
		originDomain = domain.RegionalDomainName()
		request = awscloudfront.OriginRequestPolicy_ALL_VIEWER_AND_CLOUDFRONT_2022()
	}
	origin := awscloudfrontorigins.NewHttpOrigin(originDomain, &awscloudfrontorigins.HttpOriginProps{
		ProtocolPolicy:     awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
		OriginSslProtocols: &[]awscloudfront.OriginSslPolicy{awscloudfront.OriginSslPolicy_TLS_V1_2},
		// API Gateway's own integration limit.
		ReadTimeout:   awscdk.Duration_Seconds(jsii.Number(30)),
		CustomHeaders: &map[string]*string{originSecretHeader: originSecret.SecretValue().UnsafeUnwrap()},
	})
	behavior := func(cache awscloudfront.ICachePolicy, methods awscloudfront.AllowedMethods) *awscloudfront.BehaviorOptions {
		return &awscloudfront.BehaviorOptions{
			Origin:               origin,
			AllowedMethods:       methods,
			CachePolicy:          cache,
			OriginRequestPolicy:  request,
			ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
		}
	}
	dp := &awscloudfront.DistributionProps{
		Comment: jsii.String("RASP " + *stack.StackName() + ": the API and pages behind AWS WAF"),
		// Pages and API answers set their own Cache-Control (mostly
		// no-store): nothing is cached at the edge.
		DefaultBehavior: behavior(awscloudfront.CachePolicy_CACHING_DISABLED(), awscloudfront.AllowedMethods_ALLOW_ALL()),
		AdditionalBehaviors: &map[string]*awscloudfront.BehaviorOptions{
			// The stylesheet is named by its content hash and immutable.
			"/assets/*": behavior(awscloudfront.CachePolicy_CACHING_OPTIMIZED(), awscloudfront.AllowedMethods_ALLOW_GET_HEAD()),
		},
		WebAclId:    webACLArn,
		HttpVersion: awscloudfront.HttpVersion_HTTP2_AND_3,
		// North America and Europe: the councils are in the UK.
		PriceClass: awscloudfront.PriceClass_PRICE_CLASS_100,
	}
	if domain != nil {
		dp.DomainNames = jsii.Strings(props.DomainName)
		dp.Certificate = awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("EdgeCertificate"), jsii.String(props.EdgeCertificateArn))
		dp.MinimumProtocolVersion = awscloudfront.SecurityPolicyProtocol_TLS_V1_2_2021
	}
	cdn := awscloudfront.NewDistribution(stack, jsii.String("Edge"), dp)
	suppressDistributionNagFindings(cdn, domain != nil)
	return cdn
}

// suppressDistributionNagFindings records why the distribution has no geo
// restriction, no standard access log and, without a custom domain, no TLS
// 1.2 minimum.
func suppressDistributionNagFindings(cdn awscloudfront.Distribution, customDomain bool) {
	s := []*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-CFR1"),
		Reason: jsii.String("No geo restriction: council officers use RASP from abroad and through VPNs, and " +
			"partners may be outside the UK; the web ACL limits each address instead."),
	}, {
		Id: jsii.String("AwsSolutions-CFR3"),
		Reason: jsii.String("CloudFront's standard access log writes every query string, and RASP's private, admin and " +
			"invitation links carry their token in one. Requests that reach the API are in the stage's access log " +
			"(without paths), and what the web ACL blocks or counts is in its WAF log with the query string, " +
			"Authorization and Cookie redacted."),
	}}
	if !customDomain {
		s = append(s, &cdknag.NagPackSuppression{
			Id: jsii.String("AwsSolutions-CFR4"),
			Reason: jsii.String("Without a custom domain the distribution serves CloudFront's default *.cloudfront.net " +
				"certificate, whose security policy CloudFront fixes (TLSv1); a minimum of TLS 1.2 needs a custom domain " +
				"with its own certificate (RASP_DOMAIN and RASP_EDGE_CERTIFICATE_ARN), which sets TLSv1.2_2021 " +
				"(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html)."),
		})
	}
	cdknag.NagSuppressions_AddResourceSuppressions(cdn, &s, jsii.Bool(true))
}
