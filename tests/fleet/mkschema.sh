#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mkschema.sh SWAGGER VERSION >tests/fleet/k8s-api.schema.json
#
# A developer's tool, not run by `make check` (it needs jq): writes the JSON
# Schema that tests/fleet/manifests.sh checks every manifest of scripts/fleet
# against, from Kubernetes' published OpenAPI v2 document
# (api/openapi-spec/swagger.json of the Kubernetes source; Debian 12's is in
# the source package of kubernetes-client: `apt-get source kubernetes`).
#
# Kept: the definitions reachable from batch/v1 Job, v1 Pod and v1
# PersistentVolumeClaim, with "#/definitions/X" made "#/$defs/X". Dropped:
# descriptions, formats and x-kubernetes-* extensions. Tightened, as the API
# server's strict field validation is: every definition that lists its
# properties allows no others (a misspelt field fails), each root requires
# its apiVersion and kind with their values, a root's metadata.name is a
# DNS-1123 label and a label value has the API's form. Quantity accepts a
# string or a number and IntOrString a string or an integer, as the API
# server does (the OpenAPI document says string for both).
set -eu
SW=${1:?usage: mkschema.sh SWAGGER VERSION}
VER=${2:?usage: mkschema.sh SWAGGER VERSION}
jq --arg ver "$VER" '
  def roots: {"io.k8s.api.batch.v1.Job": ["batch/v1", "Job"],
              "io.k8s.api.core.v1.Pod": ["v1", "Pod"],
              "io.k8s.api.core.v1.PersistentVolumeClaim": ["v1", "PersistentVolumeClaim"]};
  def refs: [.. | objects | .["$ref"]? // empty | ltrimstr("#/definitions/")];
  .definitions as $all
  | {seen: (roots | keys), todo: (roots | keys)}
  | until(.todo == [];
      (.todo | map($all[.] | refs) | add // [] | unique) as $new
      | .todo = ($new - .seen) | .seen = (.seen + .todo | unique))
  | .seen as $keep
  | ($all | with_entries(select(.key as $k | $keep | index($k)))) as $defs
  | $defs
  | walk(if type == "object" then
           with_entries(select((.key | IN("description", "format") | not)
                               and (.key | startswith("x-kubernetes-") | not)))
           | if has("$ref") then .["$ref"] |= sub("^#/definitions/"; "#/$defs/") else . end
           | if has("properties") and (has("additionalProperties") | not)
             then .additionalProperties = false else . end
         else . end)
  | .["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {"type": ["string", "number"]}
  | .["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {"type": ["string", "integer"]}
  | .["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"].properties.labels.additionalProperties =
      {"type": "string", "maxLength": 63, "pattern": "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"}
  | reduce (roots | to_entries[]) as $r (.;
      .[$r.key].properties.apiVersion = {"const": $r.value[0]}
      | .[$r.key].properties.kind = {"const": $r.value[1]}
      | .[$r.key].required = ((.[$r.key].required // []) + ["apiVersion", "kind", "metadata"] | unique)
      | .[$r.key + ".root"] = {"allOf": [{"$ref": ("#/$defs/" + $r.key)},
          {"properties": {"metadata": {"required": ["name"],
             "properties": {"name": {"type": "string", "maxLength": 63,
                                      "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}}}}}]})
  | {"$schema": "https://json-schema.org/draft/2020-12/schema",
     "$comment": ("Kubernetes " + $ver + " API (Apache-2.0), from its api/openapi-spec/swagger.json by tests/fleet/mkschema.sh: batch/v1 Job, v1 Pod, v1 PersistentVolumeClaim and what they reference; strict (no unknown fields). For one kind, point the root $ref at #/$defs/<definition>.root"),
     "$ref": "#/$defs/manifest",
     "$defs": (. + {"manifest": {"anyOf": [roots | keys[] | {"$ref": ("#/$defs/" + . + ".root")}]}})}
' "$SW"
