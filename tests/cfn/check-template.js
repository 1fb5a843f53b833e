#!/usr/bin/env node
// tests/cfn/check-template.js - check a CloudFormation template offline
// against the resource specification that npm's @aws-cdk/cfnspec ships
// (spec/specification.json: every resource type with its properties,
// property types, required flags and attributes).
//
// Usage: node check-template.js TEMPLATE.yaml
//   (modules from $CFN_NODE_MODULES, default tests/cfn/node_modules)
//
// Checked: the template's sections; no Transform (the template must be
// plain CloudFormation); each resource's type; its property names at every
// level and the shape of each value (list, map, structure, primitive);
// required properties; Ref targets (parameters, resources, pseudo
// parameters); Fn::GetAtt targets and attribute names; the names in Fn::Sub
// strings; DependsOn and Condition names; a reference to a resource that
// exists only under a condition is made where that condition holds (in a
// resource or output with the same Condition, or in the first branch of
// an Fn::If on it). Values built by an intrinsic
// function are not type-checked (their result is known only at deploy
// time), but the references inside them are.
//
// Prints one line per problem, "FILE: PATH: message", and exits 1 if there
// is any; prints "FILE: ok (N resources)" and exits 0 otherwise.
//
// SPDX-License-Identifier: MIT
'use strict';

const fs = require('fs');
const path = require('path');

const modules = path.resolve(process.env.CFN_NODE_MODULES || path.join(__dirname, 'node_modules'));
const YAML = require(path.join(modules, 'yaml'));
const SPEC = require(path.join(modules, '@aws-cdk/cfnspec/spec/specification.json'));

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue',
    'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);
const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters',
    'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy',
    'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy']);
const FUNCTIONS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals',
    'Not', 'And', 'Or', 'FindInMap', 'Base64', 'GetAZs', 'ImportValue', 'Cidr', 'Contains',
    'EachMemberEquals', 'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll'];

// The short forms (!Ref X, !GetAtt R.Attr, !Sub '...') as the long forms
// CloudFormation defines them to be.
function yamlTags() {
    const tags = [];
    for (const f of FUNCTIONS) {
        const key = (f === 'Ref' || f === 'Condition') ? f : 'Fn::' + f;
        const scalar = f === 'GetAtt'
            ? (s) => ({ [key]: s.split(/\.(.*)/s).slice(0, 2) })
            : (s) => ({ [key]: s });
        tags.push({ tag: '!' + f, resolve: scalar });
        tags.push({ tag: '!' + f, collection: 'seq', resolve: (s) => ({ [key]: s.toJSON() }) });
        tags.push({ tag: '!' + f, collection: 'map', resolve: (s) => ({ [key]: s.toJSON() }) });
    }
    return tags;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// An intrinsic function: an object with one key, Ref or Fn::*.
const isIntrinsic = (v) => isObj(v) && Object.keys(v).length === 1 &&
    (Object.keys(v)[0] === 'Ref' || Object.keys(v)[0].startsWith('Fn::'));

class Checker {
    constructor(file, tpl) {
        this.file = file;
        this.tpl = tpl;
        this.problems = [];
        this.params = new Set(Object.keys(isObj(tpl.Parameters) ? tpl.Parameters : {}));
        this.resources = isObj(tpl.Resources) ? tpl.Resources : {};
        this.conditions = new Set(Object.keys(isObj(tpl.Conditions) ? tpl.Conditions : {}));
    }

    fail(where, msg) { this.problems.push(`${this.file}: ${where}: ${msg}`); }

    run() {
        const t = this.tpl;
        if (!isObj(t)) return this.fail('(top)', 'the template is not a mapping');
        for (const k of Object.keys(t)) {
            if (!SECTIONS.has(k)) this.fail(k, `unknown top-level section ${k}`);
        }
        if ('Transform' in t) {
            this.fail('Transform', 'a transform (macro) is not allowed: the template must be plain CloudFormation');
        }
        if (!isObj(t.Resources) || Object.keys(t.Resources).length === 0) {
            this.fail('Resources', 'the template has no resources');
        }
        for (const [name, p] of Object.entries(isObj(t.Parameters) ? t.Parameters : {})) {
            if (!isObj(p) || typeof p.Type !== 'string') this.fail(`Parameters.${name}`, 'parameter has no Type');
        }
        for (const [name, r] of Object.entries(this.resources)) this.resource(name, r);
        for (const sec of ['Rules', 'Conditions']) {
            if (isObj(t[sec])) this.refs(t[sec], sec, null, new Set());
        }
        for (const [name, o] of Object.entries(isObj(t.Outputs) ? t.Outputs : {})) {
            this.refs(o, `Outputs.${name}`, null, new Set(isObj(o) && o.Condition ? [o.Condition] : []));
        }
        return this.problems;
    }

    resource(name, r) {
        const where = `Resources.${name}`;
        if (!isObj(r)) return this.fail(where, 'resource is not a mapping');
        for (const k of Object.keys(r)) {
            if (!RESOURCE_KEYS.has(k)) this.fail(`${where}.${k}`, `unknown resource attribute ${k}`);
        }
        const spec = SPEC.ResourceTypes[r.Type];
        if (!spec) return this.fail(`${where}.Type`, `unknown resource type ${r.Type}`);
        const deps = r.DependsOn === undefined ? [] : [].concat(r.DependsOn);
        for (const d of deps) {
            if (!(d in this.resources)) this.fail(`${where}.DependsOn`, `DependsOn names no resource: ${d}`);
        }
        if (r.Condition !== undefined && !this.conditions.has(r.Condition)) {
            this.fail(`${where}.Condition`, `no condition named ${r.Condition}`);
        }
        const props = r.Properties === undefined ? {} : r.Properties;
        this.structure(props, spec, r.Type, r.Type, `${where}.Properties`);
        this.refs(props, `${where}.Properties`, name, new Set(r.Condition ? [r.Condition] : []));
    }

    // A property value of structure type: names known, required ones set.
    structure(v, spec, resType, typeName, where) {
        if (isIntrinsic(v)) return;
        if (!isObj(v)) return this.fail(where, `${typeName} must be a mapping`);
        const known = spec.Properties || {};
        for (const [k, sub] of Object.entries(v)) {
            if (!(k in known)) {
                this.fail(`${where}.${k}`, `unknown property ${k} of ${typeName}` + hint(k, known));
                continue;
            }
            this.value(sub, known[k], resType, `${where}.${k}`);
        }
        for (const [k, p] of Object.entries(known)) {
            if (p.Required && !(k in v)) this.fail(where, `missing required property ${k} of ${typeName}`);
        }
    }

    value(v, p, resType, where) {
        if (isIntrinsic(v)) return;
        if (p.Type === 'List' || p.Type === 'Map') {
            const list = p.Type === 'List';
            if (list ? !Array.isArray(v) : !isObj(v)) {
                return this.fail(where, `must be a ${list ? 'list' : 'mapping'}`);
            }
            const items = list ? v.map((x, i) => [i, x]) : Object.entries(v);
            for (const [i, x] of items) {
                const w = `${where}${list ? `[${i}]` : `.${i}`}`;
                if (p.PrimitiveItemType) this.primitive(x, p.PrimitiveItemType, w);
                else this.typed(x, p.ItemType, resType, w);
            }
            return;
        }
        if (p.PrimitiveType) return this.primitive(v, p.PrimitiveType, where);
        this.typed(v, p.Type, resType, where);
    }

    typed(v, type, resType, where) {
        const name = `${resType}.${type}`;
        const spec = SPEC.PropertyTypes[name] || SPEC.PropertyTypes[type];
        if (!spec) return this.fail(where, `the specification has no property type ${name}`);
        this.structure(v, spec, resType, spec === SPEC.PropertyTypes[type] ? type : name, where);
    }

    primitive(v, type, where) {
        if (isIntrinsic(v)) return;
        const num = (x) => typeof x === 'number' || (typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x));
        const ok = {
            String: () => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
            Integer: () => num(v) && Number.isInteger(Number(v)),
            Long: () => num(v) && Number.isInteger(Number(v)),
            Double: () => num(v),
            Boolean: () => typeof v === 'boolean' || v === 'true' || v === 'false',
            Timestamp: () => typeof v === 'string',
            Json: () => isObj(v) || typeof v === 'string',
        }[type];
        if (ok && !ok()) this.fail(where, `must be a ${type}, not ${JSON.stringify(v)}`);
    }

    // Every Ref, Fn::GetAtt and Fn::Sub name below v must resolve. guards:
    // the conditions known to hold at v.
    refs(v, where, self, guards) {
        if (Array.isArray(v)) return v.forEach((x, i) => this.refs(x, `${where}[${i}]`, self, guards));
        if (!isObj(v)) return;
        for (const [k, x] of Object.entries(v)) {
            const w = `${where}.${k}`;
            if (k === 'Ref' && isIntrinsic(v)) this.ref(x, w, self, guards);
            else if (k === 'Fn::GetAtt' && isIntrinsic(v)) this.getAtt(x, w, self, guards);
            else if (k === 'Fn::Sub' && isIntrinsic(v)) this.sub(x, w, self, guards);
            else if (k === 'Fn::If' && isIntrinsic(v) && Array.isArray(x)) {
                if (!this.conditions.has(x[0])) this.fail(w, `no condition named ${x[0]}`);
                this.refs(x[1], `${w}[1]`, self, new Set([...guards, x[0]]));
                this.refs(x[2], `${w}[2]`, self, guards);
            }
            else if (k === 'Condition' && typeof x === 'string' && where.startsWith('Conditions')) {
                if (!this.conditions.has(x)) this.fail(w, `no condition named ${x}`);
            } else this.refs(x, w, self, guards);
        }
    }

    // A resource with a Condition exists only when it holds.
    guarded(name, where, guards) {
        const c = this.resources[name] && this.resources[name].Condition;
        if (c !== undefined && !guards.has(c)) {
            this.fail(where, `${name} exists only when ${c} holds: refer to it under Fn::If [${c}, ...] ` +
                `or from a resource with Condition ${c}`);
        }
    }

    ref(name, where, self, guards) {
        if (typeof name !== 'string') return this.fail(where, 'Ref takes a name');
        if (name === self) return this.fail(where, `resource ${name} refers to itself`);
        if (!PSEUDO.has(name) && !this.params.has(name) && !(name in this.resources)) {
            this.fail(where, `Ref to ${name}, which is neither a parameter, a resource nor a pseudo parameter`);
        }
        this.guarded(name, where, guards);
    }

    getAtt(x, where, self, guards) {
        if (typeof x === 'string') x = x.split(/\.(.*)/s).slice(0, 2);
        if (!Array.isArray(x) || x.length !== 2 || typeof x[0] !== 'string') {
            return this.fail(where, 'Fn::GetAtt takes [resource, attribute]');
        }
        const [res, attr] = x;
        if (res === self) return this.fail(where, `resource ${res} refers to itself`);
        const r = this.resources[res];
        if (!r) return this.fail(where, `Fn::GetAtt on ${res}, which is not a resource`);
        this.guarded(res, where, guards);
        if (typeof attr !== 'string') return this.refs(attr, where, self, guards);
        const spec = SPEC.ResourceTypes[r.Type];
        if (!spec) return; // reported with the resource
        const attrs = Object.keys(spec.Attributes || {});
        if (!attrs.includes(attr)) {
            this.fail(where, `${r.Type} has no attribute ${attr} (it has: ${attrs.join(', ') || 'none'})`);
        }
    }

    sub(x, where, self, guards) {
        let str = x;
        let vars = {};
        if (Array.isArray(x)) {
            [str, vars] = x;
            if (!isObj(vars)) return this.fail(where, 'Fn::Sub variables must be a mapping');
            this.refs(vars, where, self, guards);
        }
        if (typeof str !== 'string') return this.fail(where, 'Fn::Sub takes a string');
        for (const m of str.matchAll(/\$\{([^}]*)\}/g)) {
            const name = m[1];
            if (name.startsWith('!') || name in vars) continue; // ${!Literal}, own variables
            if (!name.includes('.') || PSEUDO.has(name)) this.ref(name, where, self, guards);
            else this.getAtt(name, where, self, guards);
        }
    }
}

// The closest known name, if one is close: a few edits apart, or one name
// the start of the other (Header for HeaderName).
function hint(k, known) {
    const lower = k.toLowerCase();
    let best = null;
    let bestDist = Math.max(2, Math.floor(k.length / 6)) + 1;
    for (const n of Object.keys(known)) {
        const l = n.toLowerCase();
        const d = (l.startsWith(lower) || lower.startsWith(l)) ? 1 : editDistance(l, lower);
        if (d < bestDist) [best, bestDist] = [n, d];
    }
    return best ? ` (did you mean ${best}?)` : '';
}

function editDistance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length];
}

function main() {
    const file = process.argv[2];
    if (!file) {
        console.error('usage: check-template.js TEMPLATE.yaml');
        return 2;
    }
    const shown = path.basename(file);
    const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { customTags: yamlTags() });
    if (doc.errors.length) {
        for (const e of doc.errors) console.log(`${shown}: YAML: ${e.message.split('\n')[0]}`);
        return 1;
    }
    const tpl = doc.toJS();
    const problems = new Checker(shown, tpl).run();
    for (const p of problems) console.log(p);
    if (problems.length) return 1;
    console.log(`${shown}: ok (${Object.keys(tpl.Resources).length} resources, ` +
        `specification ${SPEC.ResourceSpecificationVersion})`);
    return 0;
}

process.exitCode = main();
