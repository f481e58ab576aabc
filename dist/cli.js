#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { P as Policy, E as Evidence, a as Envelope, b as EVIDENCE_SCHEMA_ID, c as ENVELOPE_SCHEMA_ID, l as logSafe, s as safeParse, L as LedgerRecord, r as readTextFile, v as verifyLedger, d as createRedactor, M as MODES, W as WRITE_KINDS, p as parseJson, e as validate, F as FactsFile, m as mergeFacts, f as assumedFacts, g as decide, h as planOutput, i as blockersOutput, j as renderText, k as LEDGER_LIMITS, n as policyFromText, o as Limits, q as envelopeFromText, t as evidenceFromText, u as guardProcessOutput } from './chunks/render-BoKjX-_3.js';
import 'node:buffer';
import 'process';
import 'buffer';
import 'node:perf_hooks';
import 'tty';
import 'util';
import 'os';
import 'node:path';
import 'node:crypto';
import 'node:fs';
import 'node:fs/promises';

//#region src/utils/addError.ts
/**
* Adds an error message to the errors array.
*
* @param errors The array of error messages.
* @param message The error message to add.
*
* @returns The new errors.
*/
function addError(errors, message) {
	if (errors) {
		errors.push(message);
		return errors;
	}
	return [message];
}

//#endregion
//#region src/utils/escapeRegExp.ts
const ESCAPE_REGEX = /[.*+?^${}()|[\]\\]/g;
/**
* Escapes special regex characters in a string.
*
* @param string The string to escape.
*
* @returns The escaped string.
*/
function escapeRegExp(string) {
	return string.replace(ESCAPE_REGEX, "\\$&");
}

//#endregion
//#region src/utils/handleError.ts
/**
* Throws an error or logs a warning based on the configuration.
*
* @param message The message to throw or log.
* @param config The conversion configuration.
*/
function handleError(message, config) {
	switch (config?.errorMode) {
		case "ignore": break;
		case "warn":
			console.warn(message);
			break;
		default: throw new Error(message);
	}
}

//#endregion
//#region src/utils/isJsonConstValue.ts
/**
* Whether a value is JSON compatible for a const keyword.
*
* @param value The value to check.
*
* @returns Whether the value is JSON compatible.
*/
function isJsonConstValue(value) {
	return typeof value === "boolean" || typeof value === "number" && Number.isFinite(value) || typeof value === "string";
}

//#endregion
//#region src/utils/isJsonEnumValues.ts
/**
* Whether values are JSON compatible for an enum keyword.
*
* @param values The values to check.
*
* @returns Whether the values are JSON compatible.
*/
function isJsonEnumValues(values) {
	return values.every(isJsonConstValue);
}

//#endregion
//#region src/utils/ReferenceMap.ts
/**
* Schema reference map with collision-free reference ID allocation.
*/
var ReferenceMap = class extends Map {
	/**
	* Creates an empty schema reference map.
	*/
	constructor() {
		super();
		this.count = 0;
		this.usedIds = /* @__PURE__ */ new Set();
	}
	/**
	* Adds a schema reference and reserves its ID.
	*
	* @param schema The Valibot schema.
	* @param referenceId The reference ID.
	*
	* @returns The reference map.
	*/
	set(schema, referenceId) {
		this.usedIds.add(referenceId);
		return super.set(schema, referenceId);
	}
	/**
	* Creates a reference ID that is not yet used.
	*
	* @param definitions The JSON Schema definitions.
	*
	* @returns The unused reference ID.
	*/
	createId(definitions) {
		while (this.usedIds.has(`${this.count}`) || `${this.count}` in definitions) this.count++;
		return `${this.count++}`;
	}
};

//#endregion
//#region src/converters/convertAction/convertAction.ts
/**
* Returns the stricter lower bound.
*
* @param current The current lower bound.
* @param value The new lower bound.
*
* @returns The stricter lower bound.
*/
function getLowerBound(current, value) {
	if (typeof current !== "number" || !Number.isFinite(current) || value > current) return value;
	return current;
}
/**
* Returns the stricter upper bound.
*
* @param current The current upper bound.
* @param value The new upper bound.
*
* @returns The stricter upper bound.
*/
function getUpperBound(current, value) {
	if (typeof current !== "number" || !Number.isFinite(current) || value < current) return value;
	return current;
}
/**
* Returns the combined not restriction.
*
* @param current The current not restriction.
* @param value The new not restriction.
*
* @returns The combined not restriction.
*/
/* @__NO_SIDE_EFFECTS__ */
function getNotRestriction(current, value) {
	return current !== void 0 ? { anyOf: [current, value] } : value;
}
/**
* Intersects allowed values with an existing enum restriction.
*
* @param jsonSchema The JSON Schema object.
* @param values The allowed values.
*/
function intersectEnum(jsonSchema, values) {
	let enumValues = jsonSchema.enum ?? values;
	if (jsonSchema.enum) {
		const valueSet = new Set(values);
		enumValues = enumValues.filter((value) => valueSet.has(value));
	}
	if (enumValues.length) jsonSchema.enum = [...new Set(enumValues)];
	else {
		delete jsonSchema.enum;
		jsonSchema.not = /* @__PURE__ */ getNotRestriction(jsonSchema.not, {});
	}
}
/**
* Converts any supported Valibot action to the JSON Schema format.
*
* @param jsonSchema The JSON Schema object.
* @param valibotAction The Valibot action object.
* @param config The conversion configuration.
*
* @returns The converted JSON Schema.
*/
function convertAction(jsonSchema, valibotAction, config) {
	if (config?.ignoreActions?.includes(valibotAction.type)) return jsonSchema;
	let errors;
	switch (valibotAction.type) {
		case "base64":
			jsonSchema.contentEncoding = "base64";
			break;
		case "bic":
		case "cuid2":
		case "decimal":
		case "digits":
		case "domain":
		case "emoji":
		case "hash":
		case "hexadecimal":
		case "hex_color":
		case "isrc":
		case "iso_time_second":
		case "iso_week":
		case "ksuid":
		case "mac":
		case "mac48":
		case "mac64":
		case "nanoid":
		case "octal":
		case "slug":
		case "ulid":
			if (jsonSchema.pattern) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with another regex action.`);
			else jsonSchema.pattern = valibotAction.requirement.source;
			break;
		case "description":
			jsonSchema.description = valibotAction.description;
			break;
		case "email":
		case "rfc_email":
			jsonSchema.format = "email";
			break;
		case "ends_with":
			if (jsonSchema.pattern) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with another regex action.`);
			else jsonSchema.pattern = `${escapeRegExp(valibotAction.requirement)}$`;
			break;
		case "empty":
			if (jsonSchema.type === "array") jsonSchema.maxItems = 0;
			else {
				if (jsonSchema.type !== "string") errors = addError(errors, `The "${valibotAction.type}" action is not supported on type "${jsonSchema.type}".`);
				jsonSchema.maxLength = 0;
			}
			break;
		case "entries":
			if (!Number.isInteger(valibotAction.requirement) || valibotAction.requirement < 0) {
				errors = addError(errors, "The requirement of the \"entries\" action must be a non-negative integer.");
				break;
			}
			jsonSchema.minProperties = getLowerBound(jsonSchema.minProperties, valibotAction.requirement);
			jsonSchema.maxProperties = getUpperBound(jsonSchema.maxProperties, valibotAction.requirement);
			break;
		case "examples":
			if (Array.isArray(jsonSchema.examples)) jsonSchema.examples = [...jsonSchema.examples, ...valibotAction.examples];
			else jsonSchema.examples = valibotAction.examples;
			break;
		case "gt_value":
			if (jsonSchema.type !== "number" && jsonSchema.type !== "integer") {
				errors = addError(errors, `The "gt_value" action is not supported on type "${jsonSchema.type}".`);
				break;
			}
			if (!Number.isFinite(valibotAction.requirement)) {
				errors = addError(errors, "The requirement of the \"gt_value\" action is not JSON compatible.");
				break;
			}
			if (config?.target === "openapi-3.0") {
				errors = addError(errors, "The \"gt_value\" action is not supported for OpenAPI 3.0.");
				break;
			}
			jsonSchema.exclusiveMinimum = getLowerBound(jsonSchema.exclusiveMinimum, valibotAction.requirement);
			break;
		case "includes":
			if (jsonSchema.pattern) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with another regex action.`);
			else jsonSchema.pattern = escapeRegExp(valibotAction.requirement);
			break;
		case "integer":
			jsonSchema.type = "integer";
			break;
		case "ipv4":
			jsonSchema.format = "ipv4";
			break;
		case "ipv6":
			jsonSchema.format = "ipv6";
			break;
		case "iso_date":
			jsonSchema.format = "date";
			break;
		case "iso_date_time":
		case "iso_timestamp":
			jsonSchema.format = "date-time";
			break;
		case "iso_time":
			jsonSchema.format = "time";
			break;
		case "jws_compact":
			if (jsonSchema.pattern) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with another regex action.`);
			else jsonSchema.pattern = valibotAction.requirement.source;
			break;
		case "length":
			if (!Number.isInteger(valibotAction.requirement) || valibotAction.requirement < 0) {
				errors = addError(errors, "The requirement of the \"length\" action must be a non-negative integer.");
				break;
			}
			if (jsonSchema.type === "array") {
				jsonSchema.minItems = getLowerBound(jsonSchema.minItems, valibotAction.requirement);
				jsonSchema.maxItems = getUpperBound(jsonSchema.maxItems, valibotAction.requirement);
			} else {
				if (jsonSchema.type !== "string") errors = addError(errors, `The "${valibotAction.type}" action is not supported on type "${jsonSchema.type}".`);
				jsonSchema.minLength = getLowerBound(jsonSchema.minLength, valibotAction.requirement);
				jsonSchema.maxLength = getUpperBound(jsonSchema.maxLength, valibotAction.requirement);
			}
			break;
		case "lt_value":
			if (jsonSchema.type !== "number" && jsonSchema.type !== "integer") {
				errors = addError(errors, `The "lt_value" action is not supported on type "${jsonSchema.type}".`);
				break;
			}
			if (!Number.isFinite(valibotAction.requirement)) {
				errors = addError(errors, "The requirement of the \"lt_value\" action is not JSON compatible.");
				break;
			}
			if (config?.target === "openapi-3.0") {
				errors = addError(errors, "The \"lt_value\" action is not supported for OpenAPI 3.0.");
				break;
			}
			jsonSchema.exclusiveMaximum = getUpperBound(jsonSchema.exclusiveMaximum, valibotAction.requirement);
			break;
		case "max_entries":
			if (!Number.isInteger(valibotAction.requirement) || valibotAction.requirement < 0) {
				errors = addError(errors, "The requirement of the \"max_entries\" action must be a non-negative integer.");
				break;
			}
			jsonSchema.maxProperties = getUpperBound(jsonSchema.maxProperties, valibotAction.requirement);
			break;
		case "max_length":
			if (!Number.isInteger(valibotAction.requirement) || valibotAction.requirement < 0) {
				errors = addError(errors, "The requirement of the \"max_length\" action must be a non-negative integer.");
				break;
			}
			if (jsonSchema.type === "array") jsonSchema.maxItems = getUpperBound(jsonSchema.maxItems, valibotAction.requirement);
			else {
				if (jsonSchema.type !== "string") errors = addError(errors, `The "${valibotAction.type}" action is not supported on type "${jsonSchema.type}".`);
				jsonSchema.maxLength = getUpperBound(jsonSchema.maxLength, valibotAction.requirement);
			}
			break;
		case "max_value":
			if (jsonSchema.type !== "number" && jsonSchema.type !== "integer") {
				errors = addError(errors, `The "max_value" action is not supported on type "${jsonSchema.type}".`);
				break;
			}
			if (!Number.isFinite(valibotAction.requirement)) {
				errors = addError(errors, "The requirement of the \"max_value\" action is not JSON compatible.");
				break;
			}
			jsonSchema.maximum = getUpperBound(jsonSchema.maximum, valibotAction.requirement);
			break;
		case "metadata":
			if (typeof valibotAction.metadata.title === "string") jsonSchema.title = valibotAction.metadata.title;
			if (typeof valibotAction.metadata.description === "string") jsonSchema.description = valibotAction.metadata.description;
			if (Array.isArray(valibotAction.metadata.examples)) if (Array.isArray(jsonSchema.examples)) jsonSchema.examples = [...jsonSchema.examples, ...valibotAction.metadata.examples];
			else jsonSchema.examples = valibotAction.metadata.examples;
			for (const key of Object.keys(valibotAction.metadata)) if (key !== "title" && key !== "description" && key !== "examples" && key !== "__proto__") jsonSchema[key] = valibotAction.metadata[key];
			break;
		case "min_entries":
			if (!Number.isInteger(valibotAction.requirement) || valibotAction.requirement < 0) {
				errors = addError(errors, "The requirement of the \"min_entries\" action must be a non-negative integer.");
				break;
			}
			jsonSchema.minProperties = getLowerBound(jsonSchema.minProperties, valibotAction.requirement);
			break;
		case "min_length":
			if (!Number.isInteger(valibotAction.requirement) || valibotAction.requirement < 0) {
				errors = addError(errors, "The requirement of the \"min_length\" action must be a non-negative integer.");
				break;
			}
			if (jsonSchema.type === "array") jsonSchema.minItems = getLowerBound(jsonSchema.minItems, valibotAction.requirement);
			else {
				if (jsonSchema.type !== "string") errors = addError(errors, `The "${valibotAction.type}" action is not supported on type "${jsonSchema.type}".`);
				jsonSchema.minLength = getLowerBound(jsonSchema.minLength, valibotAction.requirement);
			}
			break;
		case "min_value":
			if (jsonSchema.type !== "number" && jsonSchema.type !== "integer") {
				errors = addError(errors, `The "min_value" action is not supported on type "${jsonSchema.type}".`);
				break;
			}
			if (!Number.isFinite(valibotAction.requirement)) {
				errors = addError(errors, "The requirement of the \"min_value\" action is not JSON compatible.");
				break;
			}
			jsonSchema.minimum = getLowerBound(jsonSchema.minimum, valibotAction.requirement);
			break;
		case "multiple_of":
			jsonSchema.multipleOf = valibotAction.requirement;
			break;
		case "non_empty":
			if (jsonSchema.type === "array") jsonSchema.minItems = getLowerBound(jsonSchema.minItems, 1);
			else {
				if (jsonSchema.type !== "string") errors = addError(errors, `The "${valibotAction.type}" action is not supported on type "${jsonSchema.type}".`);
				jsonSchema.minLength = getLowerBound(jsonSchema.minLength, 1);
			}
			break;
		case "not_value":
			if (!isJsonConstValue(valibotAction.requirement)) {
				errors = addError(errors, "The requirement of the \"not_value\" action is not JSON compatible.");
				break;
			}
			jsonSchema.not = /* @__PURE__ */ getNotRestriction(jsonSchema.not, config?.target === "openapi-3.0" ? { enum: [valibotAction.requirement] } : { const: valibotAction.requirement });
			break;
		case "not_values":
			if (!isJsonEnumValues(valibotAction.requirement)) {
				errors = addError(errors, "A requirement of the \"not_values\" action is not JSON compatible.");
				break;
			}
			if (valibotAction.requirement.length) jsonSchema.not = /* @__PURE__ */ getNotRestriction(jsonSchema.not, { enum: [...new Set(valibotAction.requirement)] });
			break;
		case "regex":
			if (valibotAction.requirement.flags) errors = addError(errors, "RegExp flags are not supported by JSON Schema.");
			if (jsonSchema.pattern) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with another regex action.`);
			else jsonSchema.pattern = valibotAction.requirement.source;
			break;
		case "safe_integer":
			jsonSchema.type = "integer";
			jsonSchema.minimum = getLowerBound(jsonSchema.minimum, Number.MIN_SAFE_INTEGER);
			jsonSchema.maximum = getUpperBound(jsonSchema.maximum, Number.MAX_SAFE_INTEGER);
			break;
		case "starts_with":
			if (jsonSchema.pattern) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with another regex action.`);
			else jsonSchema.pattern = `^${escapeRegExp(valibotAction.requirement)}`;
			break;
		case "title":
			jsonSchema.title = valibotAction.title;
			break;
		case "url":
			jsonSchema.format = "uri";
			break;
		case "uuid":
			jsonSchema.format = "uuid";
			break;
		case "value":
			if (!isJsonConstValue(valibotAction.requirement)) {
				errors = addError(errors, "The requirement of the \"value\" action is not JSON compatible.");
				break;
			}
			if (config?.target === "openapi-3.0") intersectEnum(jsonSchema, [valibotAction.requirement]);
			else if ("const" in jsonSchema && jsonSchema.const !== valibotAction.requirement) errors = addError(errors, `The "${valibotAction.type}" action is not supported in combination with a different "const" restriction.`);
			else jsonSchema.const = valibotAction.requirement;
			break;
		case "values":
			if (!isJsonEnumValues(valibotAction.requirement)) {
				errors = addError(errors, "A requirement of the \"values\" action is not JSON compatible.");
				break;
			}
			intersectEnum(jsonSchema, valibotAction.requirement);
			break;
		default: errors = addError(errors, `The "${valibotAction.type}" action cannot be converted to JSON Schema.`);
	}
	if (config?.overrideAction) {
		const actionOverride = config.overrideAction({
			valibotAction,
			jsonSchema,
			errors
		});
		if (actionOverride) return { ...actionOverride };
	}
	if (errors) for (const message of errors) handleError(message, config);
	return jsonSchema;
}

//#endregion
//#region src/converters/convertSchema/convertSchema.ts
/**
* Flattens a Valibot pipe by recursively expanding nested pipes.
*
* @param pipe The pipeline to flatten.
*
* @returns A flat pipeline.
*/
function flattenPipe(pipe) {
	return pipe.flatMap((item) => "pipe" in item ? flattenPipe(item.pipe) : item);
}
/**
* Returns the JSON Pointer reference for a definition key.
*
* @param referenceId The unescaped definition key.
*
* @returns The encoded JSON Pointer fragment.
*/
function getDefinitionRef(referenceId) {
	return `#/$defs/${referenceId.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
/**
* Converts any supported Valibot schema to the JSON Schema format.
*
* @param jsonSchema The JSON Schema object.
* @param valibotSchema The Valibot schema object.
* @param config The conversion configuration.
* @param context The conversion context.
* @param skipRef Whether to skip using a reference.
*
* @returns The converted JSON Schema.
*/
function convertSchema(jsonSchema, valibotSchema, config, context, skipRef = false) {
	if (!skipRef) {
		const referenceId = context.referenceMap.get(valibotSchema);
		if (referenceId) {
			jsonSchema.$ref = getDefinitionRef(referenceId);
			if (config?.overrideRef) {
				const refOverride = config.overrideRef({
					...context,
					referenceId,
					valibotSchema,
					jsonSchema
				});
				if (refOverride) jsonSchema.$ref = refOverride;
			}
			return jsonSchema;
		}
	}
	if ("pipe" in valibotSchema) {
		const flatPipe = flattenPipe(valibotSchema.pipe);
		let startIndex = 0;
		let stopIndex = flatPipe.length - 1;
		if (config?.typeMode === "input") {
			const inputStopIndex = flatPipe.slice(1).findIndex((item) => item.kind === "schema" || item.kind === "transformation" && (item.type === "find_item" || item.type === "parse_json" || item.type === "raw_transform" || item.type === "reduce_items" || item.type === "stringify_json" || item.type === "to_bigint" || item.type === "to_boolean" || item.type === "to_date" || item.type === "to_number" || item.type === "to_string" || item.type === "transform"));
			if (inputStopIndex !== -1) stopIndex = inputStopIndex;
		} else if (config?.typeMode === "output") {
			const outputStartIndex = flatPipe.findLastIndex((item) => item.kind === "schema");
			if (outputStartIndex !== -1) startIndex = outputStartIndex;
		}
		for (let index = startIndex; index <= stopIndex; index++) {
			const valibotPipeItem = flatPipe[index];
			if (valibotPipeItem.kind === "schema") {
				if (index > startIndex) handleError("Set the \"typeMode\" config to \"input\" or \"output\" to convert pipelines with multiple schemas.", config);
				jsonSchema = convertSchema(jsonSchema, valibotPipeItem, config, context, true);
			} else jsonSchema = convertAction(jsonSchema, valibotPipeItem, config);
		}
		return jsonSchema;
	}
	let errors;
	switch (valibotSchema.type) {
		case "boolean":
			jsonSchema.type = "boolean";
			break;
		case "null":
			if (config?.target === "openapi-3.0") jsonSchema.enum = [null];
			else jsonSchema.type = "null";
			break;
		case "number":
			jsonSchema.type = "number";
			break;
		case "string":
			jsonSchema.type = "string";
			break;
		case "array":
			jsonSchema.type = "array";
			jsonSchema.items = convertSchema({}, valibotSchema.item, config, context);
			break;
		case "tuple":
		case "tuple_with_rest":
		case "loose_tuple":
		case "strict_tuple":
			jsonSchema.type = "array";
			if (config?.target === "openapi-3.0") {
				jsonSchema.items = { anyOf: [] };
				jsonSchema.minItems = valibotSchema.items.length;
				for (const item of valibotSchema.items) jsonSchema.items.anyOf.push(convertSchema({}, item, config, context));
				if (valibotSchema.type === "tuple_with_rest") jsonSchema.items.anyOf.push(convertSchema({}, valibotSchema.rest, config, context));
				else if (valibotSchema.type === "strict_tuple" || valibotSchema.type === "tuple") jsonSchema.maxItems = valibotSchema.items.length;
			} else if (config?.target === "draft-2020-12") {
				jsonSchema.prefixItems = [];
				jsonSchema.minItems = valibotSchema.items.length;
				for (const item of valibotSchema.items) jsonSchema.prefixItems.push(convertSchema({}, item, config, context));
				if (valibotSchema.type === "tuple_with_rest") jsonSchema.items = convertSchema({}, valibotSchema.rest, config, context);
				else if (valibotSchema.type === "strict_tuple") jsonSchema.items = false;
			} else {
				jsonSchema.items = [];
				jsonSchema.minItems = valibotSchema.items.length;
				for (const item of valibotSchema.items) jsonSchema.items.push(convertSchema({}, item, config, context));
				if (valibotSchema.type === "tuple_with_rest") jsonSchema.additionalItems = convertSchema({}, valibotSchema.rest, config, context);
				else if (valibotSchema.type === "strict_tuple") jsonSchema.additionalItems = false;
			}
			break;
		case "object":
		case "object_with_rest":
		case "loose_object":
		case "strict_object":
			jsonSchema.type = "object";
			jsonSchema.properties = {};
			jsonSchema.required = [];
			for (const key in valibotSchema.entries) {
				const entry = valibotSchema.entries[key];
				jsonSchema.properties[key] = convertSchema({}, entry, config, context);
				if (entry.type !== "exact_optional" && entry.type !== "nullish" && entry.type !== "optional") jsonSchema.required.push(key);
			}
			if (valibotSchema.type === "object_with_rest") jsonSchema.additionalProperties = convertSchema({}, valibotSchema.rest, config, context);
			else if (valibotSchema.type === "strict_object") jsonSchema.additionalProperties = false;
			break;
		case "record":
			if (config?.target === "openapi-3.0" && "pipe" in valibotSchema.key) errors = addError(errors, "The \"record\" schema with a schema for the key that contains a \"pipe\" cannot be converted to JSON Schema.");
			if (valibotSchema.key.type !== "string") errors = addError(errors, `The "record" schema with the "${valibotSchema.key.type}" schema for the key cannot be converted to JSON Schema.`);
			jsonSchema.type = "object";
			if (config?.target !== "openapi-3.0") jsonSchema.propertyNames = convertSchema({}, valibotSchema.key, config, context);
			jsonSchema.additionalProperties = convertSchema({}, valibotSchema.value, config, context);
			break;
		case "any":
		case "unknown": break;
		case "never":
			jsonSchema.not = {};
			break;
		case "nullable":
		case "nullish":
			if (config?.target === "openapi-3.0") {
				const innerSchema = convertSchema({}, valibotSchema.wrapped, config, context);
				Object.assign(jsonSchema, innerSchema);
				jsonSchema.nullable = true;
			} else jsonSchema.anyOf = [convertSchema({}, valibotSchema.wrapped, config, context), { type: "null" }];
			if (valibotSchema.default !== void 0) jsonSchema.default = typeof valibotSchema.default === "function" ? valibotSchema.default() : valibotSchema.default;
			break;
		case "exact_optional":
		case "optional":
		case "undefinedable":
			jsonSchema = convertSchema(jsonSchema, valibotSchema.wrapped, config, context);
			if (valibotSchema.default !== void 0) jsonSchema.default = typeof valibotSchema.default === "function" ? valibotSchema.default() : valibotSchema.default;
			break;
		case "literal":
			if (!isJsonConstValue(valibotSchema.literal)) {
				errors = addError(errors, "The value of the \"literal\" schema is not JSON compatible.");
				break;
			}
			if (config?.target === "openapi-3.0") jsonSchema.enum = [valibotSchema.literal];
			else jsonSchema.const = valibotSchema.literal;
			break;
		case "enum":
		case "picklist": {
			const options = valibotSchema.options;
			if (!options.every((option) => typeof option === "string" || typeof option === "number" && Number.isFinite(option))) {
				errors = addError(errors, `An option of the "${valibotSchema.type}" schema is not JSON compatible.`);
				break;
			}
			jsonSchema.enum = options;
			if (options.every((option) => typeof option === "string")) jsonSchema.type = "string";
			else if (options.every((option) => typeof option === "number")) jsonSchema.type = "number";
			else if (config?.target !== "openapi-3.0") jsonSchema.type = ["string", "number"];
			break;
		}
		case "union":
			jsonSchema.anyOf = valibotSchema.options.map((option) => convertSchema({}, option, config, context));
			break;
		case "variant":
			jsonSchema.oneOf = valibotSchema.options.map((option) => convertSchema({}, option, config, context));
			break;
		case "intersect":
			jsonSchema.allOf = valibotSchema.options.map((option) => convertSchema({}, option, config, context));
			break;
		case "lazy": {
			let wrappedValibotSchema = context.getterMap.get(valibotSchema.getter);
			if (!wrappedValibotSchema) {
				wrappedValibotSchema = valibotSchema.getter(void 0);
				context.getterMap.set(valibotSchema.getter, wrappedValibotSchema);
			}
			let referenceId = context.referenceMap.get(wrappedValibotSchema);
			if (!referenceId) {
				referenceId = context.referenceMap.createId(context.definitions);
				context.referenceMap.set(wrappedValibotSchema, referenceId);
				context.definitions[referenceId] = convertSchema({}, wrappedValibotSchema, config, context, true);
			}
			jsonSchema.$ref = getDefinitionRef(referenceId);
			if (config?.overrideRef) {
				const refOverride = config.overrideRef({
					...context,
					referenceId,
					valibotSchema: wrappedValibotSchema,
					jsonSchema
				});
				if (refOverride) jsonSchema.$ref = refOverride;
			}
			break;
		}
		default: errors = addError(errors, `The "${valibotSchema.type}" schema cannot be converted to JSON Schema.`);
	}
	if (config?.overrideSchema) {
		const schemaOverride = config.overrideSchema({
			...context,
			referenceId: context.referenceMap.get(valibotSchema),
			valibotSchema,
			jsonSchema,
			errors
		});
		if (schemaOverride) return { ...schemaOverride };
	}
	if (errors) for (const message of errors) handleError(message, config);
	return jsonSchema;
}

//#endregion
//#region src/storages/globalDefs/globalDefs.ts
let store;
/**
* Returns the current global schema definitions.
*
* @returns The schema definitions.
*
* @beta
*/
function getGlobalDefs() {
	return store;
}

//#endregion
//#region src/functions/toJsonSchema/toJsonSchema.ts
/**
* Converts a Valibot schema to the JSON Schema format.
*
* @param schema The Valibot schema object.
* @param config The JSON Schema configuration.
*
* @returns The converted JSON Schema.
*/
function toJsonSchema(schema, config) {
	const context = {
		definitions: {},
		referenceMap: new ReferenceMap(),
		getterMap: /* @__PURE__ */ new Map()
	};
	const definitions = config?.definitions ?? getGlobalDefs();
	if (definitions) {
		for (const key in definitions) context.referenceMap.set(definitions[key], key);
		for (const key in definitions) context.definitions[key] = convertSchema({}, definitions[key], config, context, true);
	}
	const jsonSchema = convertSchema({}, schema, config, context);
	const target = config?.target ?? "draft-07";
	if (target === "draft-2020-12") jsonSchema.$schema = "https://json-schema.org/draft/2020-12/schema";
	else if (target === "draft-07") jsonSchema.$schema = "http://json-schema.org/draft-07/schema#";
	if (context.referenceMap.size) jsonSchema.$defs = context.definitions;
	return jsonSchema;
}

const SOURCES = {
    envelope: {
        schema: Envelope,
        title: 'Publish Gate envelope v1',
        description: `The result envelope an agent job uploads (envelope.json), identified by "schema": "${ENVELOPE_SCHEMA_ID}". ` +
            'Unknown members are rejected. Checks that JSON Schema cannot express (endLine at or after startLine, ' +
            'unique intent kinds, labels and change paths, base64 or NUL-free change content) are enforced by Publish Gate itself.',
    },
    evidence: {
        schema: Evidence,
        title: 'Publish Gate evidence v1',
        description: `The gate evidence (evidence.json), identified by "schema": "${EVIDENCE_SCHEMA_ID}". ` +
            'Unknown members are rejected. Gate names must be unique; Publish Gate enforces that itself.',
    },
    config: {
        schema: Policy,
        title: 'Publish Gate policy v1',
        description: 'The policy file (.github/publish-gate.yml), version 1. Unknown keys are rejected and every write kind defaults to deny. ' +
            '"approval" is required: write "approval: none" to run without one. Durations (max-age) must be above 0 and at most 90d, ' +
            'and required gates unique; Publish Gate enforces those itself.',
    },
};
/**
 * Actions JSON Schema cannot express. `check` actions are custom predicates (uniqueness, duration
 * bounds, cross-field rules); they are left out and recorded in a `$comment` so a reader knows the
 * document is checked further. Every other unsupported schema or action still throws, so a contract
 * change that the schema would silently lose fails the tests instead.
 */
const config = {
    target: 'draft-07',
    typeMode: 'input',
    errorMode: 'throw',
    overrideAction({ valibotAction, jsonSchema }) {
        if (valibotAction.type === 'check') {
            const message = valibotAction.message;
            const note = `also checked: ${typeof message === 'string' ? message : 'a custom rule'}`;
            return { ...jsonSchema, $comment: jsonSchema.$comment ? `${jsonSchema.$comment}; ${note}` : note };
        }
        if (valibotAction.type === 'regex') {
            const { source, flags } = valibotAction.requirement;
            // JSON Schema patterns are ECMA-262 regular expressions matched as Unicode, which is what the
            // `u` flag means; any other flag changes semantics and is refused (returning nothing throws).
            if (flags !== '' && flags !== 'u')
                return undefined;
            if (jsonSchema.pattern === undefined || jsonSchema.pattern === source)
                return { ...jsonSchema, pattern: source };
            // A second pattern on one string: every pattern must match.
            return { ...jsonSchema, allOf: [...(jsonSchema.allOf ?? []), { pattern: source }] };
        }
        return undefined;
    },
};
/** The JSON Schema (draft-07) of the envelope, the evidence or the policy file; pure and deterministic. */
function jsonSchemaFor(name) {
    const source = SOURCES[name];
    const { $schema, ...rest } = toJsonSchema(source.schema, config);
    return { $schema, title: source.title, description: source.description, ...rest };
}

const COLUMNS = ['seq', 'at', 'type', 'kind', 'key', 'status', 'target'];
function row(record) {
    const base = [String(record.seq), record.at, record.type];
    switch (record.type) {
        case 'decision': {
            const t = record.target;
            return [...base, '-', `epoch ${record.epoch}`, record.decision, `${t.repository}${t.pullRequest !== null ? `#${t.pullRequest}` : ''}${t.head ? `@${t.head.slice(0, 12)}` : ''}`];
        }
        case 'intent':
            return [...base, record.kind, record.key, 'intent', record.target];
        case 'write':
            return [...base, record.kind, record.key, record.status, record.target];
        case 'skip':
            return [...base, record.kind, record.key, record.reason, record.target];
        case 'reconcile':
            return [...base, record.kind, record.key, record.found ? 'found' : 'absent', record.target];
        case 'blocker':
            return [...base, '-', '-', record.codes.join(','), '-'];
        case 'held':
            return [...base, '-', record.keys.join(','), 'held', '-'];
        case 'checkpoint':
            return [...base, '-', '-', `replaced ${record.replaced}`, `${Object.keys(record.writes).length} writes, ${record.epochs.length} epochs, ${record.pending.length} pending`];
    }
}
/**
 * The ledger as a table, one row per line, parsed line by line so that a broken ledger can still be
 * read (the chain is checked separately). Every cell goes through `logSafe`.
 */
function ledgerTable(text) {
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const rows = [];
    if (body.length > 0)
        body.split('\n').forEach((line, i) => {
            let value;
            try {
                value = JSON.parse(line);
            }
            catch {
                value = undefined;
            }
            const parsed = safeParse(LedgerRecord, value);
            rows.push(parsed.success ? row(parsed.output) : ['?', '-', `line ${i + 1}: not a ledger record`, '', '', '', '']);
        });
    const cells = [[...COLUMNS], ...rows].map((r) => r.map((c) => logSafe(c)));
    const widths = COLUMNS.map((_, c) => Math.min(64, Math.max(...cells.map((r) => r[c].length))));
    return cells.map((r) => r.map((c, k) => (k === r.length - 1 ? c : c.padEnd(widths[k]))).join('  ').trimEnd()).join('\n') + '\n';
}

const USAGE = `Usage: publish-gate <command>

  plan --envelope F [--evidence F] [--config F] [--facts F] [--mode M] [--deny KINDS] [--json]
        Evaluate offline; exit 0 unless the decision is blocked (2).
  redact [--json] [--secret-env VAR]...
        Redact standard input to standard output; --json prints the findings
        [{rule, start, end}] (offsets in JavaScript string units) without the values.
        --secret-env registers the value of an environment variable as a known secret.
  schema envelope|evidence|config
        Print the JSON Schema of a document.
  ledger verify F [--key-env VAR] | ledger show F
        verify: check the ledger's chain, and its MACs with the key in VAR; exit 0 when
        valid, 1 when invalid (printing the first bad seq). show: print it as a table.
`;
const ExitCode = { Ok: 0, Invalid: 1, Blocked: 2, Usage: 64 };
/** The most `redact` reads from standard input. */
const REDACT_INPUT_BYTES = 64 * 1024 * 1024;
async function loadFile(path, maxBytes, missing, invalid, parse) {
    if (!path)
        return { status: 'failed', code: missing, message: `no --${missing.split('_')[0].toLowerCase()} file given` };
    const read = await readTextFile(path, maxBytes);
    if (!read.ok)
        return { status: 'failed', code: read.reason === 'missing' ? missing : invalid, message: read.message };
    return parse(read.text, path, 'file');
}
async function plan(args, io) {
    const { values } = parseArgs({
        args,
        options: {
            envelope: { type: 'string' },
            evidence: { type: 'string' },
            config: { type: 'string' },
            facts: { type: 'string' },
            mode: { type: 'string', default: 'dry-run' },
            deny: { type: 'string', default: '' },
            json: { type: 'boolean', default: false },
        },
        strict: true,
        allowPositionals: false,
    });
    if (!values.envelope)
        throw new UsageError('plan needs --envelope F');
    if (!MODES.includes(values.mode))
        throw new UsageError(`--mode must be one of ${MODES.join(', ')}`);
    const deny = values.deny.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = deny.filter((k) => !WRITE_KINDS.includes(k));
    if (unknown.length)
        throw new UsageError(`--deny takes write kinds (${WRITE_KINDS.join(', ')}), not ${unknown.join(', ')}`);
    const [policy, envelope, evidence] = await Promise.all([
        loadFile(values.config, Limits.policyBytes, 'CONFIG_MISSING', 'CONFIG_INVALID', policyFromText),
        loadFile(values.envelope, Limits.envelopeBytes, 'ENVELOPE_MISSING', 'ENVELOPE_INVALID', envelopeFromText),
        loadFile(values.evidence, Limits.evidenceBytes, 'EVIDENCE_MISSING', 'EVIDENCE_INVALID', evidenceFromText),
    ]);
    let given = {};
    if (values.facts) {
        const read = await readTextFile(values.facts, Limits.factsBytes);
        if (!read.ok)
            throw new InvalidInput(`--facts: ${read.message}`);
        const parsed = (() => {
            const json = parseJson(read.text, Limits.factsBytes);
            return json.ok ? validate(FactsFile, json.value) : json;
        })();
        if (!parsed.ok)
            throw new InvalidInput(`--facts ${values.facts}: ${parsed.issues.join('; ')}`);
        given = parsed.value;
    }
    const env = envelope.status === 'ok' && envelope.value.format === 'envelope' ? envelope.value.envelope : undefined;
    const ev = evidence.status === 'ok' ? evidence.value : undefined;
    const facts = mergeFacts(assumedFacts(env, ev, policy.status === 'ok' ? policy.value : undefined), given);
    const published = given.published ?? { trust: 'absent', epochs: [], writes: {} };
    const result = decide({
        inputs: { mode: values.mode, deny: deny, config: '.github/publish-gate.yml' },
        policy,
        envelope,
        evidence,
        facts: { status: 'ok', value: facts, source: 'assumed' },
        published,
        now: given.now ?? io.now().toISOString(),
    });
    if (values.json)
        io.stdout(`${JSON.stringify({ decision: result.decision, mode: result.mode, blockers: blockersOutput(result.blockers), warnings: blockersOutput(result.warnings), plan: planOutput(result), 'plan-digest': result.digest, findings: result.findings }, null, 2)}\n`);
    else
        io.stdout(renderText(result, { factsOrigin: values.facts ? `assumed, overridden by ${logSafe(values.facts)}` : 'assumed consistent with the envelope' }));
    return result.decision === 'blocked' ? ExitCode.Blocked : ExitCode.Ok;
}
async function redactCommand(args, io) {
    const { values } = parseArgs({
        args,
        options: { json: { type: 'boolean', default: false }, 'secret-env': { type: 'string', multiple: true, default: [] } },
        strict: true,
        allowPositionals: false,
    });
    const secrets = values['secret-env'].map((name) => {
        const value = io.env[name];
        if (value === undefined)
            throw new UsageError(`--secret-env ${name}: no such environment variable`);
        return value;
    });
    const text = await io.stdin(REDACT_INPUT_BYTES).catch((error) => {
        throw new InvalidInput(error instanceof Error ? error.message : String(error));
    });
    const redactor = createRedactor({ secrets });
    if (values.json) {
        const findings = await redactor.scan(text).catch(() => undefined);
        if (!findings)
            throw new InvalidInput('scanning failed or ran out of time; nothing is reported');
        io.stdout(`${JSON.stringify(findings.map(({ rule, start, end }) => ({ rule, start, end })))}\n`);
        return ExitCode.Ok;
    }
    const result = await redactor.redact(text);
    io.stdout(result.text);
    if (result.failed) {
        io.stderr('publish-gate: scanning failed or ran out of time; the input was replaced by a placeholder\n');
        return ExitCode.Invalid;
    }
    return ExitCode.Ok;
}
function schema(args, io) {
    const [name, ...rest] = args;
    if (rest.length > 0 || (name !== 'envelope' && name !== 'evidence' && name !== 'config'))
        throw new UsageError('schema takes one of envelope, evidence, config');
    io.stdout(`${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`);
    return ExitCode.Ok;
}
async function ledger(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'verify' && sub !== 'show')
        throw new UsageError('ledger takes verify or show');
    const { values, positionals } = parseArgs({
        args: rest,
        options: sub === 'verify' ? { 'key-env': { type: 'string' } } : {},
        strict: true,
        allowPositionals: true,
    });
    if (positionals.length !== 1)
        throw new UsageError(`ledger ${sub} takes one file`);
    const keyEnv = values['key-env'];
    const key = keyEnv === undefined ? undefined : io.env[keyEnv];
    if (keyEnv !== undefined && !key)
        throw new UsageError(`--key-env ${keyEnv}: no such environment variable, or it is empty`);
    const read = await readTextFile(positionals[0], LEDGER_LIMITS.bytes);
    if (!read.ok)
        throw new InvalidInput(read.message);
    if (sub === 'show') {
        io.stdout(ledgerTable(read.text));
        return ExitCode.Ok;
    }
    const result = verifyLedger(read.text, { key, now: io.now().getTime() });
    if (!result.ok) {
        io.stdout(`invalid: ${logSafe(result.reason)}\nfirst bad seq: ${result.firstBadSeq ?? 'none (the ledger as a whole is refused)'}\n`);
        return ExitCode.Invalid;
    }
    const trust = result.authenticated
        ? 'authenticated (every MAC verified)'
        : result.unauthenticatedMacs > 0
            ? `unauthenticated (${result.unauthenticatedMacs} records carry MACs, but no key was given: use --key-env)`
            : 'unauthenticated (no MACs)';
    const start = result.records[0]?.type === 'checkpoint' ? `, starting from a checkpoint at seq ${result.records[0].seq}` : '';
    io.stdout(`valid: ${result.records.length} records${start}, ${trust}\n`);
    return ExitCode.Ok;
}
class UsageError extends Error {
}
class InvalidInput extends Error {
}
/** The command line, without touching `process`: tests call it with their own streams. */
async function cli(argv, io) {
    const [command, ...args] = argv;
    try {
        switch (command) {
            case 'plan':
                return await plan(args, io);
            case 'redact':
                return await redactCommand(args, io);
            case 'schema':
                return schema(args, io);
            case 'ledger':
                return await ledger(args, io);
            case undefined:
            case '-h':
            case '--help':
            case 'help':
                io.stdout(USAGE);
                return command === undefined ? ExitCode.Usage : ExitCode.Ok;
            default:
                throw new UsageError(`unknown command ${command}`);
        }
    }
    catch (error) {
        if (error instanceof InvalidInput) {
            io.stderr(`publish-gate: ${logSafe(error.message)}\n`);
            return ExitCode.Invalid;
        }
        const usage = error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS');
        io.stderr(`publish-gate: ${logSafe(error instanceof Error ? error.message : String(error))}\n${usage ? USAGE : ''}`);
        return usage ? ExitCode.Usage : ExitCode.Invalid;
    }
}

/** Reads standard input up to a byte limit; more than that is an error, not a silent cut. */
async function readStdin(maxBytes) {
    const chunks = [];
    let size = 0;
    for await (const chunk of process.stdin) {
        size += chunk.length;
        if (size > maxBytes)
            throw new Error(`standard input is over ${maxBytes} bytes`);
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
guardProcessOutput((line) => process.stderr.write(`${line}\n`));
process.exitCode = await cli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: readStdin,
    env: process.env,
    now: () => new Date(),
});
