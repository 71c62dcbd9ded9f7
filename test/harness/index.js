// @ts-check
'use strict';
// In-process n8n workflow runs (n8n-core WorkflowExecute): see workflowRunner.js and README.md.
module.exports = require('./workflowRunner');
