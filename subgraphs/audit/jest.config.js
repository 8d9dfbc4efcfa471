module.exports = require('../../schema/testing/jest.preset.js')(__dirname, 'audit');
