#!/bin/sh
# tests/check-template.sh - docs/deploy/template.yaml checked offline against
# the CloudFormation resource specification shipped by npm's
# @aws-cdk/cfnspec (tests/cfn/check-template.js), and the checker's own
# refusals: copies of the template with one mistake each must be refused
# with exactly the message expected.
#
# The npm packages (versions pinned by tests/cfn/package-lock.json) are
# installed with `npm ci` into $B/cfn, once per lock file.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
TPL=docs/deploy/template.yaml
CHECK=tests/cfn/check-template.js
case $B in /*) M=$B/cfn ;; *) M=$(pwd)/$B/cfn ;; esac

command -v node >/dev/null || { echo "ok - template check # SKIP no node (install nodejs)"; exit 0; }
command -v npm >/dev/null || { echo "ok - template check # SKIP no npm (install npm)"; exit 0; }

mkdir -p "$M"
if ! cmp -s tests/cfn/package-lock.json "$M/package-lock.json" || [ ! -d "$M/node_modules/@aws-cdk/cfnspec" ]; then
    cp tests/cfn/package.json tests/cfn/package-lock.json "$M/" &&
        (cd "$M" && npm ci --ignore-scripts --no-audit --no-fund) >"$M/npm.log" 2>&1
    if [ $? -ne 0 ]; then
        echo "not ok - npm ci in $M (see $M/npm.log)"
        sed 's/^/#   /' "$M/npm.log" | tail -n 10
        rm -f "$M/package-lock.json"
        exit 1
    fi
fi
export CFN_NODE_MODULES="$M/node_modules"
spec=$(node -e 'console.log(require(process.argv[1]).ResourceSpecificationVersion)' \
    "$M/node_modules/@aws-cdk/cfnspec/spec/specification.json" 2>&1)
case $spec in
[0-9]*) echo "ok - @aws-cdk/cfnspec installed (resource specification $spec)" ;;
*) echo "not ok - @aws-cdk/cfnspec: no specification.json in $M"; exit 1 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-cfn.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if out=$(node "$CHECK" "$TPL" 2>&1) && [ "$out" = "template.yaml: ok (24 resources, specification $spec)" ]; then
    ok_line="$out"
    echo "ok - $ok_line"
else
    echo "not ok - $TPL is valid against the specification"
    echo "$out" | sed 's/^/#   /'
fi

# refused NAME SED-EXPRESSION EXPECTED [EXPECTED2]: the template with one
# edit is refused (status 1) with exactly these output lines. Each
# edit must change the template, or the case proves nothing.
refused() {
    sed "$2" "$TPL" >"$tmp/bad.yaml"
    if cmp -s "$TPL" "$tmp/bad.yaml"; then
        echo "not ok - $1: the edit '$2' changed nothing"
        return
    fi
    out=$(node "$CHECK" "$tmp/bad.yaml" 2>&1)
    rc=$?
    want="bad.yaml: $3${4:+
bad.yaml: $4}"
    if [ "$rc" = 1 ] && [ "$out" = "$want" ]; then
        echo "ok - refused: $1"
    else
        echo "not ok - refused: $1 (status $rc)"
        echo "$out" | head -n 5 | sed 's/^/#   got:      /'
        echo "$want" | sed 's/^/#   expected: /'
    fi
}

# Expected messages: the checker's wording, with the names the
# specification gives (e.g. AWS::RDS::DBInstance's attributes).
refused "misspelt property" 's/^      Timeout: 20$/      Timout: 20/' \
    "Resources.Function.Properties.Timout: unknown property Timout of AWS::Lambda::Function (did you mean Timeout?)"
refused "misspelt property four levels down" 's/^          ViewerProtocolPolicy:/          ViewerProtocolPolicies:/' \
    "Resources.Distribution.Properties.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicies: unknown property ViewerProtocolPolicies of AWS::CloudFront::Distribution.DefaultCacheBehavior (did you mean ViewerProtocolPolicy?)" \
    "Resources.Distribution.Properties.DistributionConfig.DefaultCacheBehavior: missing required property ViewerProtocolPolicy of AWS::CloudFront::Distribution.DefaultCacheBehavior"
refused "property inside a list item" 's/^              - HeaderName: x-api-key/              - Header: x-api-key/' \
    "Resources.Distribution.Properties.DistributionConfig.Origins[0].OriginCustomHeaders[0].Header: unknown property Header of AWS::CloudFront::Distribution.OriginCustomHeader (did you mean HeaderName?)" \
    "Resources.Distribution.Properties.DistributionConfig.Origins[0].OriginCustomHeaders[0]: missing required property HeaderName of AWS::CloudFront::Distribution.OriginCustomHeader"
refused "missing required property" '/^      IPAddressVersion: IPV4$/d' \
    "Resources.WafIpSet.Properties: missing required property IPAddressVersion of AWS::WAFv2::IPSet"
refused "missing required nested property" '/^            MetricName: allow-company$/d' \
    "Resources.WebAcl.Properties.Rules[0].VisibilityConfig: missing required property MetricName of AWS::WAFv2::WebACL.VisibilityConfig"
refused "bad GetAtt attribute" 's/RDS_HOST: !GetAtt Database.Endpoint.Address/RDS_HOST: !GetAtt Database.Endpoint.Hostname/' \
    "Resources.Function.Properties.Environment.Variables.RDS_HOST.Fn::GetAtt: AWS::RDS::DBInstance has no attribute Endpoint.Hostname (it has: CertificateDetails.CAIdentifier, CertificateDetails.ValidTill, DBInstanceArn, DBSystemId, DbiResourceId, Endpoint.Address, Endpoint.HostedZoneId, Endpoint.Port, MasterUserSecret.SecretArn)"
refused "bad attribute inside Sub" 's/\${Database.DbiResourceId}/${Database.ResourceId}/' \
    "Resources.FunctionRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource.Fn::Sub: AWS::RDS::DBInstance has no attribute ResourceId (it has: CertificateDetails.CAIdentifier, CertificateDetails.ValidTill, DBInstanceArn, DBSystemId, DbiResourceId, Endpoint.Address, Endpoint.HostedZoneId, Endpoint.Port, MasterUserSecret.SecretArn)"
refused "Ref to nothing" 's/KeyId: !Ref ApiKey$/KeyId: !Ref ApiKeys/' \
    "Resources.UsagePlanKey.Properties.KeyId.Ref: Ref to ApiKeys, which is neither a parameter, a resource nor a pseudo parameter"
refused "unknown resource type" 's/Type: AWS::ApiGateway::UsagePlanKey/Type: AWS::ApiGateway::UsagePlanKeys/' \
    "Resources.UsagePlanKey.Type: unknown resource type AWS::ApiGateway::UsagePlanKeys"
refused "a list where a structure goes" 's/^      DefaultAction:$/      DefaultAction: []/; /^        Block: {}$/d' \
    "Resources.WebAcl.Properties.DefaultAction: AWS::WAFv2::WebACL.DefaultAction must be a mapping"
refused "a conditional resource used where its condition may not hold" \
    's/DBSubnetGroupName: !If \[InGivenVpc, !Ref DbSubnetGroup, !Ref "AWS::NoValue"\]/DBSubnetGroupName: !If [InDefaultVpc, !Ref "AWS::NoValue", !Ref DbSubnetGroup]/' \
    "Resources.Database.Properties.DBSubnetGroupName.Fn::If[2].Ref: DbSubnetGroup exists only when InGivenVpc holds: refer to it under Fn::If [InGivenVpc, ...] or from a resource with Condition InGivenVpc"
refused "Fn::If on no condition" 's/VpcId: !If \[InDefaultVpc,/VpcId: !If [InDefaultVPC,/' \
    "Resources.DbSecurityGroup.Properties.VpcId.Fn::If: no condition named InDefaultVPC"
refused "misspelt log retention" '/^  FunctionLogs:$/,/^$/s/^      RetentionInDays:/      RetentionDays:/' \
    "Resources.FunctionLogs.Properties.RetentionDays: unknown property RetentionDays of AWS::Logs::LogGroup (did you mean RetentionInDays?)"
refused "a transform" 's/^AWSTemplateFormatVersion: "2010-09-09"$/&\nTransform: AWS::Serverless-2016-10-31/' \
    "Transform: a transform (macro) is not allowed: the template must be plain CloudFormation"
