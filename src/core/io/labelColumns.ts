/**
 * Column names that hold class labels rather than features (text headers, parquet columns):
 * such a column is offered as its own 1-D array and kept out of the feature matrix.
 */
export const LABEL_COLUMN = /^(labels?|targets?|y|class(es)?|category)$/i;
