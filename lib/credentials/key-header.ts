import type { IConstruct } from 'constructs';
import { celString } from '../internal/cel';
import { checkHeaderName } from '../internal/checks';
import type { CredentialBinding } from './provider-credential';

/** How a provider expects its API key on a request. */
export class KeyHeader {
  /** `Authorization: Bearer <key>` (OpenAI, Anthropic's OpenAI-compatible API, Gemini, vLLM, ...). */
  public static bearer(): KeyHeader {
    return new KeyHeader('Authorization', 'Bearer ');
  }

  /** The key alone as the value of `name`, e.g. `api-key` (Azure) or `X-Provider-Api-Key` (simulator). */
  public static plain(name: string): KeyHeader {
    return new KeyHeader(name, '');
  }

  /** `<prefix><key>` as the value of `name`. */
  public static withPrefix(name: string, prefix: string): KeyHeader {
    return new KeyHeader(name, prefix);
  }

  private constructor(
    /** Header name. */
    public readonly name: string,
    /** Text put before the key. */
    public readonly prefix: string,
  ) {}

  /** Throws when the header name is not an HTTP token. */
  public validate(scope: IConstruct): void {
    checkHeaderName(scope, 'key header name', this.name);
  }

  /** @internal CEL expression of the full header value for a bound credential. */
  public _valueExpression(binding: CredentialBinding): string {
    if (binding.demoValue !== undefined) return celString(this.prefix + binding.demoValue);
    return this.prefix ? `${celString(this.prefix)} + ${binding.keyExpression}` : binding.keyExpression;
  }
}
