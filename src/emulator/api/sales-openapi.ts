/**
 * An OpenAPI 3.0 description of the emulator's Sales API v1, served at `GET /sales/openapi.json`.
 * Upstream publishes its Sales spec only as a rendered page, so tools that build clients or
 * graphs from OpenAPI (code generators, GraphQL Mesh) get this one instead: it describes what the
 * emulator answers, route by route, including the choices it makes where upstream is silent
 * (refunds signed negative, missing VAT as `null`, `cursor` absent on a date's last page, the
 * lookups' `{items}` envelope). The conformance test validates real answers against it.
 */

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const errorResponses = {
  '400': problemResponse('A parameter is malformed; `extraDetails` names it'),
  '401': {
    description: 'No token, or an expired or foreign one',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Unauthorized' } } },
  },
  '404': problemResponse('No such ledgerId, or a ledger the caller is not granted (answered alike)'),
  '429': {
    description: 'Rate limited; `Retry-After` says when to try again',
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/RateLimited' } } },
  },
  '500': {
    description: 'An error upstream does not explain; retry',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ServerError' } } },
  },
};

const ledgerId = {
  name: 'ledgerId',
  in: 'path',
  required: true,
  description: 'A ledger from the Report API `GET /settlement/v1/ledgers`.',
  schema: { type: 'string' },
};

const pageSize = {
  name: 'pageSize',
  in: 'query',
  required: false,
  description: 'Entries per page.',
  schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 1000, default: 100 },
};

const cursor = (what: string) => ({
  name: 'cursor',
  in: 'query',
  required: false,
  description: `Where to go on from, as the previous page returned it; left out, ${what}.`,
  schema: { type: 'string' },
});

const systemHeaders = ['Vipps-System-Name', 'Vipps-System-Version', 'Vipps-System-Plugin-Name', 'Vipps-System-Plugin-Version'].map((name) => ({
  name,
  in: 'header',
  required: false,
  description: 'Identifies the calling system; read by upstream, ignored by the emulator.',
  schema: { type: 'string', maxLength: 30 },
}));

const jsonOf = (schema: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

const minorUnits = (description: string, nullable = false) => ({ type: 'integer', format: 'int64', description, ...(nullable ? { nullable: true } : {}) });

export const salesOpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Sales API (emulator)',
    version: '1.0',
    description:
      'The Vipps MobilePay Sales API v1 as the emulator serves it: captures and refunds of VM-number and mPOS sales with ' +
      'order lines and VAT, per ledger. Amounts are integers in minor units; a refund is signed negative, as in the Report API.',
  },
  servers: [{ url: '/', description: 'The emulator that serves this document' }],
  security: [{ accountingToken: [] }],
  paths: {
    '/sales/report/v1/ledgers/{ledgerId}': {
      get: {
        operationId: 'getSalesFeed',
        summary: 'Sales events of a ledger, as a feed',
        description:
          'Every capture and refund of the ledger in the order they happened, from the first sale or from `cursor`. ' +
          'Every page carries a cursor; at the end of the feed `items` is empty, the cursor is the one sent and `hasMore` is false.',
        parameters: [ledgerId, cursor('the feed starts at the first sale of the ledger'), pageSize, ...systemHeaders],
        responses: { '200': jsonOf('SalesFeedPage', 'A page of the feed'), ...errorResponses },
      },
    },
    '/sales/report/v1/ledgers/{ledgerId}/dates/{ledgerDate}': {
      get: {
        operationId: 'getSalesByDate',
        summary: 'Sales events of a ledger date',
        description:
          'The captures and refunds whose time falls in the ledger date (the Report API calendar, cut-off included). The ' +
          'open date holds what happened up to now; there is no `tryLater`. The last page has no cursor.',
        parameters: [
          ledgerId,
          { name: 'ledgerDate', in: 'path', required: true, description: 'The ledger date, YYYY-MM-DD.', schema: { type: 'string', format: 'date' } },
          cursor('the first entry of the date'),
          pageSize,
          ...systemHeaders,
        ],
        responses: { '200': jsonOf('SalesDatePage', 'A page of the date'), ...errorResponses },
      },
    },
    '/sales/report/v1/ledgers/{ledgerId}/references/{reference}': {
      get: {
        operationId: 'getSalesByReference',
        summary: 'Every capture and refund of one order',
        description: 'All sales events of the order with this `reference` so far; an unknown reference answers an empty list.',
        parameters: [
          ledgerId,
          { name: 'reference', in: 'path', required: true, description: "The order's reference, URL-encoded.", schema: { type: 'string' } },
          ...systemHeaders,
        ],
        responses: { '200': jsonOf('SalesLookup', 'The entries of the order'), ...errorResponses },
      },
    },
    '/sales/report/v1/ledgers/{ledgerId}/psp-references/{pspReference}': {
      get: {
        operationId: 'getSalesByPspReference',
        summary: 'One capture or refund',
        description: 'The sales event with this `pspReference` (one at most); an unknown one answers an empty list.',
        parameters: [
          ledgerId,
          { name: 'pspReference', in: 'path', required: true, description: 'The PSP reference, as in the Report API.', schema: { type: 'string' } },
          ...systemHeaders,
        ],
        responses: { '200': jsonOf('SalesLookup', 'The entry, or none'), ...errorResponses },
      },
    },
  },
  components: {
    securitySchemes: {
      accountingToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'An access token from `POST /miami/v1/token` with accounting keys (client credentials, HTTP Basic).',
      },
    },
    schemas: {
      SalesFeedPage: {
        type: 'object',
        required: ['items', 'cursor', 'hasMore'],
        additionalProperties: false,
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/SalesEntry' } },
          cursor: { type: 'string', description: 'Where the next page starts; the one sent when the feed has nothing more yet.' },
          hasMore: { type: 'boolean' },
        },
      },
      SalesDatePage: {
        type: 'object',
        required: ['items', 'hasMore'],
        additionalProperties: false,
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/SalesEntry' } },
          cursor: { type: 'string', description: 'Where the next page starts; absent on the last page.' },
          hasMore: { type: 'boolean' },
        },
      },
      SalesLookup: {
        type: 'object',
        required: ['items'],
        additionalProperties: false,
        properties: { items: { type: 'array', items: { $ref: '#/components/schemas/SalesEntry' } } },
      },
      SalesEntry: {
        type: 'object',
        description: 'One capture or refund of an order.',
        required: ['entryType', 'time', 'orderDate', 'pspReference', 'reference', 'currency', 'paymentType', 'classification', 'amounts', 'lines', 'customer', 'completeness'],
        additionalProperties: false,
        properties: {
          entryType: { type: 'string', enum: ['capture', 'refund'] },
          time: { type: 'string', format: 'date-time', description: 'When this capture or refund happened, UTC, whole seconds.' },
          orderDate: { type: 'string', format: 'date-time', description: 'When the order was made (the first capture): earlier than `time` for refunds and later parts.' },
          pspReference: { type: 'string', nullable: true, description: 'The same as on the Report API entries of this movement; null for cash.' },
          reference: { type: 'string', description: "The order's reference, shared by its captures, refunds and fees." },
          currency: { type: 'string', enum: ['NOK', 'DKK', 'EUR'] },
          paymentType: { type: 'string', enum: ['CARD', 'CASH', 'WALLET'] },
          classification: {
            type: 'object',
            required: ['solution', 'salesCategory'],
            additionalProperties: false,
            properties: {
              solution: { type: 'string', enum: ['VARIABLE_AMOUNT', 'SHOPPING_BASKET', 'MPOS'] },
              salesCategory: { type: 'string', nullable: true, description: 'Set by the merchant on open amounts; null otherwise.' },
            },
          },
          amounts: {
            type: 'object',
            required: ['gross', 'net', 'vat'],
            additionalProperties: false,
            properties: {
              gross: minorUnits('Including VAT; negative on a refund.'),
              net: minorUnits('Excluding VAT; null unless every line has VAT (or the amount has a VAT rate).', true),
              vat: minorUnits('gross − net; null with net.', true),
            },
          },
          lines: { type: 'array', items: { $ref: '#/components/schemas/SalesLine' }, description: 'Empty on open amounts and mPOS sales without a basket.' },
          customer: { type: 'object', nullable: true, description: 'Reserved by upstream; always null.', additionalProperties: false, properties: {} },
          completeness: {
            type: 'object',
            required: ['hasLineItems', 'hasVatBreakdown', 'hasCustomerIdentity'],
            additionalProperties: false,
            properties: { hasLineItems: { type: 'boolean' }, hasVatBreakdown: { type: 'boolean' }, hasCustomerIdentity: { type: 'boolean' } },
          },
        },
      },
      SalesLine: {
        type: 'object',
        description: 'An order line; on a refund the refunded line with quantity and totals negated, unit prices positive.',
        required: ['lineId', 'name', 'quantity', 'unitPriceGross', 'unitPriceNet', 'discountTotal', 'lineTotalGross', 'lineTotalNet', 'vatRate', 'vatAmount', 'category'],
        additionalProperties: false,
        properties: {
          lineId: { type: 'string' },
          name: { type: 'string' },
          quantity: { type: 'integer', description: 'Whole units; negative on a refund.' },
          unitPriceGross: minorUnits('Unit price including VAT, before discount.'),
          unitPriceNet: minorUnits('Unit price excluding VAT; null without VAT.', true),
          discountTotal: minorUnits('Discount on the line.'),
          lineTotalGross: minorUnits('unitPriceGross × quantity − discountTotal.'),
          lineTotalNet: minorUnits('Line total excluding VAT; null without VAT.', true),
          vatRate: { type: 'integer', format: 'int32', nullable: true, description: 'Basis points: 2500 is 25 %; null without VAT.' },
          vatAmount: minorUnits('lineTotalGross − lineTotalNet; null without VAT.', true),
          category: { type: 'string', nullable: true, description: 'e.g. GOODS; null without VAT.' },
        },
      },
      Problem: {
        type: 'object',
        description: 'RFC 7807.',
        required: ['type', 'title', 'status', 'detail'],
        additionalProperties: false,
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          extraDetails: {
            type: 'array',
            items: { type: 'object', required: ['name', 'reason'], additionalProperties: false, properties: { name: { type: 'string' }, reason: { type: 'string' } } },
          },
        },
      },
      Unauthorized: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
      RateLimited: {
        type: 'object',
        required: ['statusCode', 'message'],
        additionalProperties: false,
        properties: { statusCode: { type: 'integer' }, message: { type: 'string' } },
      },
      ServerError: {
        type: 'object',
        required: ['errorCode', 'errorMessage', 'contextId'],
        additionalProperties: false,
        properties: { errorCode: { type: 'integer' }, errorMessage: { type: 'string' }, contextId: { type: 'string' } },
      },
    },
  },
} as const;

/** Served as it is, serialised once. */
export const salesOpenApiJson = JSON.stringify(salesOpenApiDocument);
