package latchkey.users;

import latchkey.db.Tx;

/**
 * What another feature does with an account's data in the transaction that deletes the account,
 * before its row goes (chat turns its messages into tombstones, passes on the rooms it owned).
 */
public interface AccountRemoval {
    void beforeDelete(Tx tx, long userId);
}
