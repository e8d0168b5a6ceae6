// Plain JavaScript: Hive Gateway's CLI imports this file itself, outside the product's TypeScript build.
import { defineConfig } from '@graphql-hive/gateway';
import { print } from 'graphql';

/**
 * Hive Gateway serving the supergraph of mesh.config.mjs over the emulator, as a Mesh user would
 * run it: the CLI's defaults, plus what the upstream needs (an accounting token on every call)
 * and the resolvers of the join. With `MESH_RESPONSE_CACHE=true` Hive Gateway's response cache
 * is on, shared by every caller (`session: () => null`): all callers here are the one partner.
 */

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const upstream = required('MESH_UPSTREAM_URL');
const basic = Buffer.from(`${encodeURIComponent(required('MESH_CLIENT_ID'))}:${encodeURIComponent(required('MESH_CLIENT_SECRET'))}`).toString('base64');

/**
 * The accounting token (client credentials, HTTP Basic, as upstream documents it), fetched once
 * and again a minute before it expires. Neither OpenAPI document describes the token flow, so a
 * plugin adds it, the way Hive Gateway's docs add upstream headers (`onFetch`).
 */
function upstreamToken() {
  let token;
  const fresh = () => {
    const requested = Date.now();
    return fetch(`${upstream}/miami/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`token endpoint answered ${response.status}`))))
      .then((body) => ({ value: body.access_token, expiresAt: requested + (Number(body.expires_in) - 60) * 1000 }));
  };
  const current = () => {
    if (token === undefined) token = fresh().catch((error) => ((token = undefined), Promise.reject(error)));
    return token.then((known) => (known.expiresAt > Date.now() ? known : ((token = undefined), current())));
  };
  return {
    onFetch({ url, options, setOptions }) {
      if (!url.startsWith(upstream) || url.startsWith(`${upstream}/miami/`)) return undefined;
      return current().then((known) => setOptions({ ...options, headers: { ...options.headers, authorization: `Bearer ${known.value}` } }));
    },
  };
}

/**
 * A sale's entries on one account and ledger date, by pspReference: the Report API cannot look
 * an entry up, so the date is read and filtered. Batched as Mesh's docs show (`key`,
 * `argsFromKeys`, `valuesFromResults`): every sale of the answer that asks for the same account
 * and date shares one upstream call.
 */
const reportEntries = {
  selectionSet: '{ pspReference }',
  resolve(sale, args, context, info) {
    if (!sale.pspReference) return [];
    return context.Report.Query.report_v2_ledgers_by_ledgerId_by_topic_dates_by_ledgerDate({
      root: sale,
      context,
      info,
      key: sale.pspReference,
      argsFromKeys: () => ({ ledgerId: args.ledgerId, topic: args.topic, ledgerDate: args.ledgerDate }),
      selectionSet: (entry) => `{ ... on _200_response { items ${print(entry).replace('{', '{ pspReference')} } }`,
      valuesFromResults: (page, keys) => keys.map((pspReference) => (page?.items ?? []).filter((item) => item?.pspReference === pspReference)),
    });
  },
};

export const gatewayConfig = defineConfig({
  supergraph: required('MESH_SUPERGRAPH'),
  plugins: () => [upstreamToken()],
  additionalResolvers: { SalesEntry: { reportEntries } },
  ...(process.env.MESH_RESPONSE_CACHE === 'true' ? { responseCaching: { session: () => null } } : {}),
});
