/**
 * The wire shapes the UI reads from the control plane (docs/api.md): snake_case, decimals as
 * strings, RFC 3339 times. Generated: every name here aliases a schema of the API's OpenAPI
 * document (openapi.ts, written by `npm run gen:api-types` from the route schemas in
 * src/api/wire-schemas.ts); a test fails when openapi.ts is stale. Do not declare shapes here.
 */
import type { CommandStatus, CommandType } from '../contract';
import type { components } from './openapi';

type Schemas = components['schemas'];

export type Environment = Schemas['Profile']['api_environment'];
export type TradingStateName = Schemas['TradingState']['state'];
export type EngineInfo = Schemas['Engine'];
export type TradingState = Schemas['TradingState'];
export type Profile = Schemas['Profile'];
export type Position = Schemas['Position'];
export type Account = Schemas['Account'];
export type Order = Schemas['Order'];
export type Fill = Schemas['Fill'];
export type PnlPoint = Schemas['PnlPoint'];

/** Command statuses and types are the contract's (src/contract/commands.ts). */
export type { CommandStatus, CommandType };

export type Command = Schemas['Command'];
export type RiskCheck = Schemas['RiskCheck'];
export type Draft = Schemas['Draft'];
export type ApiErrorBody = Schemas['ApiError'];
