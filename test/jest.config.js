module.exports = require('../schema/jest.preset.js')(__dirname, 'e2e');
