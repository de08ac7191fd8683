// Stage 2, authenticate / choose the account: the key's account (`sk_test_X` → account X; the
// default account without a well-formed key, whose request the handler stage then answers with a
// 401), and inside it the `Stripe-Account` (a connected account) or its platform account.
import { accountKeyOf } from '../account-keys.js'
import type { KeyAccount, KeyAccounts } from '../key-accounts.js'

export interface ChosenAccount {
  /** the key's account: its state and controls */
  keyAccount: KeyAccount
  /** the `Stripe-Account` scope inside it: a connected account, or the platform account */
  account: string
}

export function chooseAccount(accounts: KeyAccounts, request: Request): ChosenAccount {
  const keyAccount = accounts.of(accountKeyOf(request.headers.get('Authorization')))
  return { keyAccount, account: request.headers.get('Stripe-Account') || keyAccount.state.defaultAccount }
}
